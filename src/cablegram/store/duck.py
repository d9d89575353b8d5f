"""DuckDB backend: one embedded file, opened only for the length of each operation.

DuckDB lets one process write a file, or many processes read it, at a time. So no process keeps the
file open: every operation opens a connection (read-only for reads, so readers share), does its work
and closes it, and an operation that finds the file locked by another process retries until
`lock_timeout` runs out. Inside one process, a lock per file keeps connections one at a time, since
DuckDB refuses a read-only and a read-write connection to the same file side by side. A session
(`with store.session():`, which a consolidation opens) keeps one connection between its operations while
they follow each other closely (duck_hold.py). See docs/storage.md.
"""

from __future__ import annotations

import os
import random
import threading
import time
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Iterator

import duckdb

from .base import StoreBusy, StoreError
from .duck_hold import file_hold
from .fulltext import term_counts
from .sql import SqlStore


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    """Whether an error means another process holds the file (DuckDB reports it as an I/O error)."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


class DuckStore(SqlStore):
    """Documents, events and mentions in a DuckDB file; each document is written in one transaction."""

    IN_CHUNK = 2000

    def __init__(self, path: str, read_only: bool = False, lock_timeout: float = 60.0):
        self.path = path
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self._hold = file_hold(path)
        self._no_wait = threading.local()
        if read_only:
            if not os.path.exists(path):
                raise StoreError(f"no such database: {path}")
            self.check_schema()
        else:
            self.migrate()

    def _list(self, values: list) -> tuple[str, list]:
        """One list parameter unnested: DuckDB scans a table once for it, where a long list of `?` costs it
        seconds (200 ids against the merged events of a 20,000-document store: 4 s, against 0.3 s)."""
        return "SELECT unnest(?::VARCHAR[])", [list(values)]

    @contextmanager
    def _connect(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if write and self.read_only:
            raise StoreError(f"{self.path} was opened read-only")
        with self._hold.connection(write, self._open) as con:
            yield con

    def session(self) -> AbstractContextManager[None]:
        return nullcontext() if self.read_only else self._hold.session()

    def _open(self, write: bool) -> duckdb.DuckDBPyConnection:
        """Connect, retrying with growing pauses while another process holds the file."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return duckdb.connect(self.path, read_only=not write)
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise
                if getattr(self._no_wait, "on", False):
                    raise StoreBusy(f"{self.path} is being written by another process") from exc
                if time.monotonic() >= deadline:
                    raise StoreError(f"{self.path} stayed locked by another process for {self.lock_timeout:g} s: "
                                     f"{exc}") from exc
                time.sleep(random.uniform(0.001, 0.01))  # short and jittered, so no process waits out the others

    def version(self) -> tuple:
        """The file's and its write-ahead log's modification time and size: any commit changes one of them."""
        stamp = []
        for name in (self.path, self.path + ".wal"):
            try:
                st = os.stat(name)
                stamp += [st.st_mtime_ns, st.st_size, st.st_ino]
            except FileNotFoundError:
                stamp += [None, None, None]
        return tuple(stamp)

    def without_waiting(self, read, *args, **kwargs):
        self._no_wait.on = True
        try:
            return read(*args, **kwargs)
        finally:
            self._no_wait.on = False

    @contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    # ------------------------------------------------------------ full-text search: a stemmed term table

    def _build_search_index(self, con: duckdb.DuckDBPyConnection) -> None:
        """DuckDB's fts extension would download itself at run time, so the store keeps its own term table."""
        self._run(con, "CREATE TABLE IF NOT EXISTS search_terms (kind VARCHAR NOT NULL, event_id VARCHAR NOT NULL, "
                       "term VARCHAR NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, event_id, term))")
        for kind, table in (("coded", "events"), ("merged", "merged_events")):
            self._index_terms(con, kind, self._run(con, f"SELECT id, search_text FROM {table}").fetchall())

    def _index_terms(self, con: duckdb.DuckDBPyConnection, kind: str, rows: list[tuple[str, str]],
                     replace: bool = False) -> None:
        if replace:
            self._run(con, "DELETE FROM search_terms WHERE kind = ?", [kind])
        self._insert_rows(con, "search_terms (kind, event_id, term, n)",
                          [[kind, event_id, term, n] for event_id, text in rows
                           for term, n in term_counts(text or "").items()], "ON CONFLICT DO NOTHING")

    def _drop_terms(self, con: duckdb.DuckDBPyConnection, kind: str, ids: list[str]) -> None:
        for start in range(0, len(ids), self.IN_CHUNK):
            marks, params = self._list(ids[start:start + self.IN_CHUNK])
            self._run(con, f"DELETE FROM search_terms WHERE kind = ? AND event_id IN ({marks})", [kind, *params])

    def _text_match(self, terms: list[tuple[str, bool]], table: str) -> tuple[str, list]:
        kind = _kind(table)
        clauses = [f"{table}.id IN (SELECT event_id FROM search_terms WHERE kind = ? AND term {_op(prefix)} ?)"
                   for _term, prefix in terms]
        return " AND ".join(clauses), [p for term, prefix in terms for p in (kind, _pattern(term, prefix))]

    def _text_rank(self, terms: list[tuple[str, bool]], table: str) -> tuple[str, list]:
        """The sum of log(1 + occurrences) of the matched terms: several mentions of a word rank higher."""
        matches = " OR ".join(f"t.term {_op(prefix)} ?" for _term, prefix in terms)
        return (f"(SELECT sum(ln(1 + t.n)) FROM search_terms t WHERE t.kind = ? AND t.event_id = {table}.id "
                f"AND ({matches}))", [_kind(table)] + [_pattern(term, prefix) for term, prefix in terms])

    def close(self) -> None:
        """Nothing to release: no connection outlives an operation."""


def _kind(table: str) -> str:
    return "merged" if table == "merged_events" else "coded"


def _op(prefix: bool) -> str:
    return "LIKE" if prefix else "="


def _pattern(term: str, prefix: bool) -> str:
    """A stem holds letters and digits only (fulltext.WORD), so it needs no LIKE escaping."""
    return term + "%" if prefix else term
