"""How many records a run's inputs hold, so the progress bar can show a total ("12/209", not "12/?").

Counted the way the readers count: one per text or HTML file (a document or a skip report), one per non-blank
JSONL line, one per Parquet row (from the file's metadata, without reading the rows). JSON files, feeds, URLs
and standard input are known only once read, so any of them makes the total unknown (None).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .documents import FEED_SUFFIXES, JSONL_SUFFIXES, is_url, walk_files


def count_records(paths: Iterable[str]) -> int | None:
    """The number of records under `paths` (files, directories), or None when it cannot be known cheaply."""
    total = 0
    for item in paths:
        if item == "-" or is_url(item):
            return None
        path = Path(item)
        files = walk_files(path) if path.is_dir() else [path]
        for file in files or [path]:  # an empty directory is one skip report
            n = _file_records(file)
            if n is None:
                return None
            total += n
    return total


def _file_records(path: Path) -> int | None:
    """Records in one file: None for JSON, feeds and a JSONL or Parquet file that cannot be opened."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                return max(1, sum(1 for line in fh if line.strip()))  # an empty file is one skip report
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError):  # the reader will report the file; the bar just has no total
        return None
    if suffix == ".json" or suffix in FEED_SUFFIXES:
        return None
    return 1  # text, HTML, or a file the reader reports as skipped
