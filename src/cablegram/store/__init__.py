"""Storage behind one small interface: DuckDB by default, chosen by the --db value."""

from __future__ import annotations

from .base import EventFilter, Store


def open_store(db: str, read_only: bool = False) -> Store:
    """Open the store named by `db`: a DuckDB file path (default backend)."""
    if db.startswith(("postgresql://", "postgres://")):
        raise ValueError("PostgreSQL storage is not available in this version; use a DuckDB file path")
    from .duck import DuckStore

    return DuckStore(db, read_only=read_only)


__all__ = ["EventFilter", "Store", "open_store"]
