"""Storage behind one small interface: a DuckDB file by default, PostgreSQL for a postgresql:// URL."""

from __future__ import annotations

from .base import EventFilter, Store, StoreBusy, StoreError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(db: str) -> bool:
    """Whether a --db value names a PostgreSQL database rather than a DuckDB file."""
    return db.startswith(POSTGRES_SCHEMES)


def open_store(db: str, read_only: bool = False) -> Store:
    """Open the store named by `db` (a DuckDB file path or a postgresql:// URL), migrating it unless read-only."""
    if is_postgres(db):
        from .postgres import PgStore

        return PgStore(db, read_only=read_only)
    from .duck import DuckStore

    return DuckStore(db, read_only=read_only)


__all__ = ["EventFilter", "Store", "StoreBusy", "StoreError", "is_postgres", "open_store"]
