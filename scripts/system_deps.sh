#!/usr/bin/env bash
# The system programs the test suite needs beyond the Python packages: Debian's PostgreSQL server (the store
# tests start a throwaway cluster, tests/pg_server.py), a Java runtime (PySpark on local[2]) and Debian's
# headless Chromium (the dashboard's end-to-end tests; never a browser download).
# As root, installs whatever is missing with apt-get; otherwise names the one command that will.
# The paths checked can be overridden (CABLEGRAM_CHROMIUM, CABLEGRAM_INITDB_GLOB, CABLEGRAM_JAVA) for testing.
set -euo pipefail

chromium=${CABLEGRAM_CHROMIUM:-/usr/bin/chromium}
initdb_glob=${CABLEGRAM_INITDB_GLOB:-/usr/lib/postgresql/*/bin/initdb}
java=${CABLEGRAM_JAVA:-java}

missing=()
# shellcheck disable=SC2086  # the glob must expand
compgen -G "$initdb_glob" >/dev/null || missing+=(postgresql)
command -v "$java" >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x "$chromium" ] || missing+=(chromium)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages for the tests (${missing[*]}): run  sudo $0  then make test again" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Chromium keeps its recommended packages (fonts); the others do without.
for pkg in "${missing[@]}"; do
    if [ "$pkg" = chromium ]; then
        apt-get install -y -q chromium
    else
        apt-get install -y -q --no-install-recommends "$pkg"
    fi
done
