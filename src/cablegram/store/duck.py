"""DuckDB backend: one embedded file, opened only for the length of each operation.

DuckDB lets one process write a file, or many processes read it, at a time. So no process keeps the
file open: every operation opens a connection (read-only for reads, so readers share), does its work
and closes it, and an operation that finds the file locked by another process retries until
`lock_timeout` runs out. Inside one process, a lock per file keeps connections one at a time, since
DuckDB refuses a read-only and a read-write connection to the same file side by side.
See docs/storage.md.
"""

from __future__ import annotations

import os
import random
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import duckdb

from .base import StoreError
from .sql import SqlStore

_FILE_LOCKS: dict[str, threading.RLock] = {}
_FILE_LOCKS_GUARD = threading.Lock()


def _file_lock(path: str) -> threading.RLock:
    """The in-process lock for one database file (shared by every store object on it)."""
    key = os.path.realpath(path)
    with _FILE_LOCKS_GUARD:
        return _FILE_LOCKS.setdefault(key, threading.RLock())


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    """Whether an error means another process holds the file (DuckDB reports it as an I/O error)."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


class DuckStore(SqlStore):
    """Documents, events and mentions in a DuckDB file; each document is written in one transaction."""

    def __init__(self, path: str, read_only: bool = False, lock_timeout: float = 60.0):
        self.path = path
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self._lock = _file_lock(path)
        if read_only:
            if not os.path.exists(path):
                raise StoreError(f"no such database: {path}")
            self.check_schema()
        else:
            self.migrate()

    @contextmanager
    def _connect(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if write and self.read_only:
            raise StoreError(f"{self.path} was opened read-only")
        with self._lock:
            con = self._open(write)
            try:
                yield con
            finally:
                con.close()

    def _open(self, write: bool) -> duckdb.DuckDBPyConnection:
        """Connect, retrying with growing pauses while another process holds the file."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return duckdb.connect(self.path, read_only=not write)
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreError(f"{self.path} stayed locked by another process for {self.lock_timeout:g} s: "
                                     f"{exc}") from exc
                time.sleep(random.uniform(0.001, 0.01))  # short and jittered, so no process waits out the others

    @contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        """Nothing to release: no connection outlives an operation."""
