"""Events as a Parquet file: the flat CSV columns, typed, plus the whole event as JSON in `event`.

The flat columns are what a data frame or SQL engine filters on; `event` keeps everything (every mention,
the merge record), so nothing is lost. Rows are written in batches (memory stays flat) to a temporary file
that replaces the target only when every row is written, so a failed run leaves no half-written Parquet.
"""

from __future__ import annotations

import json
import os
from itertools import islice
from pathlib import Path
from typing import Iterable

from .output import CSV_COLUMNS, flatten

BATCH = 1024
_DOUBLE = {"confidence", "lat", "lon"}
_INT = {"num_mentions", "num_articles", "num_sources"}
_BOOL = {"hedged"}


def schema():
    """The Arrow schema: CSV_COLUMNS with numbers and flags typed, then `event` (JSON text)."""
    import pyarrow as pa

    def kind(name: str):
        return pa.float64() if name in _DOUBLE else pa.int64() if name in _INT else \
            pa.bool_() if name in _BOOL else pa.string()

    return pa.schema([(name, kind(name)) for name in CSV_COLUMNS] + [("event", pa.string())])


def to_table(events: Iterable[dict]):
    """Events as an Arrow table in the Parquet layout."""
    import pyarrow as pa

    rows = [{**flatten(ev), "event": json.dumps(ev, ensure_ascii=False)} for ev in events]
    return pa.Table.from_pylist(rows, schema=schema())


def write_parquet(events: Iterable[dict], path: str | Path) -> int:
    """Write events to a Parquet file at `path` and return how many were written."""
    import pyarrow.parquet as pq

    path = Path(path)
    part = path.with_name(f".{path.name}.part")
    n = 0
    it = iter(events)
    try:
        with pq.ParquetWriter(part, schema()) as writer:
            while batch := list(islice(it, BATCH)):
                writer.write_table(to_table(batch))
                n += len(batch)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return n
