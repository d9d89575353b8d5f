"""PostgreSQL backend (psycopg 3): the same tables and queries as DuckDB, for a shared server.

One connection per store, used by one thread at a time; PostgreSQL's own concurrency control lets
any number of processes read and write at once, and a document's write is one transaction.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import psycopg

from .base import StoreError
from .migrations import reached
from .sql import SqlStore

SCHEMA_LOCK = 0x6361626C  # advisory lock id held while migrating ("cabl")
# The text searched, as Snowball English stems without stop words; the GIN index is on this very expression.
DOCUMENT_VECTOR = "to_tsvector('english', coalesce(search_text, ''))"


def _tsquery(terms: list[tuple[str, bool]]) -> str:
    """Query stems ANDed, a prefix term marked ':*'. The stems are already stemmed (fulltext.query_terms), so
    the query is read with the 'simple' configuration, which only lower-cases; a stem holds letters and digits
    only, so it cannot spell tsquery syntax."""
    return " & ".join(term + (":*" if prefix else "") for term, prefix in terms)


class PgStore(SqlStore):
    """Documents, events and mentions in a PostgreSQL database named by a postgresql:// URL."""

    TEXT_TYPE = 'VARCHAR COLLATE "C"'

    def __init__(self, url: str, read_only: bool = False):
        self.url = url
        self.read_only = read_only
        self._lock = threading.RLock()
        self._con: psycopg.Connection | None = None
        if read_only:
            self.check_schema()
        else:
            self.migrate()

    def _sql(self, statement: str) -> str:
        return statement.replace("%", "%%").replace("?", "%s")

    def _connection(self) -> psycopg.Connection:
        """The store's connection, reopened if the server dropped it."""
        if self._con is None or self._con.closed or self._con.broken:
            try:
                self._con = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            except psycopg.OperationalError as exc:
                raise StoreError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc
        return self._con

    @contextmanager
    def _connect(self, write: bool) -> Iterator[psycopg.Connection]:
        if write and self.read_only:
            raise StoreError("the database was opened read-only")
        with self._lock:
            yield self._connection()

    @contextmanager
    def _transaction(self, con: psycopg.Connection) -> Iterator[None]:
        with con.transaction():
            yield

    def _lock_schema(self, con: psycopg.Connection) -> None:
        con.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])

    def _schema_version(self, con: psycopg.Connection) -> int | None:
        exists = con.execute("SELECT to_regclass('schema_version')").fetchone()[0]
        if exists is None:
            return None
        return reached({r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()})

    # ------------------------------------------------------------ full-text search: PostgreSQL's own

    def _build_search_index(self, con: psycopg.Connection) -> None:
        for table in ("events", "merged_events"):
            con.execute(f"CREATE INDEX IF NOT EXISTS {table}_fulltext ON {table} USING gin ({DOCUMENT_VECTOR})")

    def _text_match(self, terms: list[tuple[str, bool]], table: str) -> tuple[str, list]:
        return f"{DOCUMENT_VECTOR} @@ to_tsquery('simple', ?)", [_tsquery(terms)]

    def _text_rank(self, terms: list[tuple[str, bool]], table: str) -> tuple[str, list]:
        return f"ts_rank({DOCUMENT_VECTOR}, to_tsquery('simple', ?))", [_tsquery(terms)]

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
