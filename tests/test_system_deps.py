"""scripts/system_deps.sh, which `make test` runs first: silent when everything is there, installs what is
missing as root (apt-get stood in for by a recorder on PATH), and names the one command to run otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SCRIPT = "scripts/system_deps.sh"


def _run(env: dict, user: list[str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*(user or []), "bash", SCRIPT], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60)


def _missing(tmp_path: Path) -> dict:
    """Overrides that make all three programs look absent."""
    return {"CABLEGRAM_CHROMIUM": str(tmp_path / "no-chromium"),
            "CABLEGRAM_INITDB_GLOB": str(tmp_path / "no-pg" / "*" / "initdb"),
            "CABLEGRAM_JAVA": "no-such-java-binary"}


def test_nothing_missing_is_silent(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    (tmp_path / "pg" / "15" / "bin").mkdir(parents=True)
    (tmp_path / "pg" / "15" / "bin" / "initdb").write_text("")
    res = _run({"CABLEGRAM_CHROMIUM": str(chromium), "CABLEGRAM_INITDB_GLOB": str(tmp_path / "pg/*/bin/initdb"),
                "CABLEGRAM_JAVA": "bash"})
    assert res.returncode == 0 and res.stdout == res.stderr == ""


def test_not_root_gets_one_line_naming_the_command(tmp_path):
    if os.getuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv to drop privileges")
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        user = None
    res = _run(_missing(tmp_path), user)
    assert res.returncode == 1 and res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and f"sudo {SCRIPT}" in lines[0]
    assert all(p in lines[0] for p in ("postgresql", "default-jre-headless", "chromium"))


def test_root_installs_what_is_missing_with_one_update(tmp_path):
    if os.getuid() != 0:
        pytest.skip("the install path runs as root")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    (bin_dir / "apt-get").chmod(0o755)
    res = _run({**_missing(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert res.returncode == 0, res.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "update -q" and sum(c.startswith("update") for c in calls) == 1
    installed = " ".join(calls[1:])
    assert all(p in installed for p in ("postgresql", "default-jre-headless", "chromium"))
