"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl from Debian's `postgresql` package.

The cluster lives in a fresh temporary directory, listens on a free port on 127.0.0.1 only, trusts
local connections, and is removed when the test session ends. As root it runs as the `postgres` user,
since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PgUnavailable(RuntimeError):
    """The server could not be started; the message says why."""


def _bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory (Debian keeps it off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PgUnavailable("initdb not found: install Debian's postgresql package (apt-get install -y postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """Start with `start()`, stop with `stop()`; `url(dbname)` gives a connection URL."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cablegram-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise PgUnavailable("running as root and there is no 'postgres' user to run the server") from None
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str) -> None:
        kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []} if self.user else {}
        done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=self.root, **kwargs)
        if done.returncode != 0:
            raise PgUnavailable(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")

    def start(self) -> "PgServer":
        try:
            return self._start()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _start(self) -> "PgServer":
        bindir = _bin_dir()
        self._run(str(bindir / "initdb"), "-D", str(self.data), "-U", "cablegram", "--auth=trust",
                  "--encoding=UTF8", "--no-locale", "--no-sync")
        self._run(str(bindir / "pg_ctl"), "start", "-D", str(self.data), "-w", "-t", "60",
                  "-l", str(self.root / "server.log"),
                  "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -F "
                        "-c max_connections=50 -c shared_buffers=16MB")
        self.bindir = bindir
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://cablegram@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
