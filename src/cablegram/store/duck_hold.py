"""One DuckDB file's state inside a process: the lock that keeps its connections one at a time, and the
read-write connection a session (store.session()) keeps between its operations.

A consolidation makes hundreds of store calls, and opening the file costs tens of milliseconds each, so a
session keeps its connection between calls; it gives it up after IDLE seconds unused (and to any other
thread of the process that needs the file), and leaves the file free for PAUSE after every HOLD seconds of
use, so other processes' readers still get in between a consolidation's steps, as docs/storage.md promises.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

import duckdb

IDLE = 0.5  # seconds a session's connection stays open unused
HOLD = 1.0  # seconds a busy session keeps the file before it leaves it free for PAUSE
PAUSE = 0.05  # seconds the file is then free, so other processes' readers get in however busy the session is

_HOLDS: dict[str, "FileHold"] = {}
_HOLDS_GUARD = threading.Lock()


def file_hold(path: str) -> "FileHold":
    """The in-process state of one database file (shared by every store object on it)."""
    key = os.path.realpath(path)
    with _HOLDS_GUARD:
        return _HOLDS.setdefault(key, FileHold())


class FileHold:
    """The file's lock, and the connection of the thread holding a session on it, if any."""

    def __init__(self):
        self.lock = threading.RLock()
        self.owner: int | None = None  # the thread whose session keeps `con`
        self.con: duckdb.DuckDBPyConnection | None = None
        self.busy = False  # an operation of the session is using `con`
        self.last = 0.0
        self.opened = 0.0  # when `con` was opened

    @contextmanager
    def connection(self, write: bool,
                   open_: Callable[[bool], duckdb.DuckDBPyConnection]) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one operation (`open_(write)` opens one): the session's, opened read-write, for
        the session's thread; else one of the operation's own, closed after it (read-write inside another
        operation of the session's thread, since DuckDB refuses a read-only one beside it)."""
        with self.lock:
            mine = self.owner == threading.get_ident()
            if mine and not self.busy:
                self.busy = True
                try:
                    if self.con is not None and time.monotonic() - self.opened >= HOLD:
                        self._close()
                        time.sleep(PAUSE)  # another process's reader gets in (docs/storage.md)
                    if self.con is None:
                        self.con = open_(True)
                        self.opened = time.monotonic()
                    yield self.con
                except BaseException:
                    self._close()
                    raise
                finally:
                    self.busy = False
                    self.last = time.monotonic()
                return
            if not mine:  # another thread needs the file: the session reopens it on its next operation
                self._close()
            con = open_(write or mine)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def session(self) -> Iterator[None]:
        """Keep one connection for this thread's operations until the block ends (inside another session,
        or while another thread holds one, nothing changes)."""
        with self.lock:
            outer = self.owner is None
            if outer:
                self.owner = threading.get_ident()
        if not outer:
            yield
            return
        stop = threading.Event()
        closer = threading.Thread(target=self._close_idle, args=(stop,), daemon=True)
        closer.start()
        try:
            yield
        finally:
            stop.set()
            closer.join()
            with self.lock:
                self._close()
                self.owner = None

    def _close_idle(self, stop: threading.Event) -> None:
        while not stop.wait(IDLE / 2):
            with self.lock:
                if not self.busy and time.monotonic() - self.last >= IDLE:
                    self._close()

    def _close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
