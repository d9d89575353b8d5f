"""The Python API for notebooks and scripts: code text or documents into events, store them, query a store.

Events are dicts in the documented JSON shape (docs/event.schema.json); `to_frame` and `to_arrow` turn them
into one flat row per event (the CSV and Parquet columns). Models load once per process, on first use.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Union

Item = Union[str, Path, dict]


class SkippedRecordWarning(UserWarning):
    """A record could not be read or coded; the message says which and why. The others are coded."""


@lru_cache(maxsize=1)
def _coder():
    from .coding.coder import Coder

    return Coder()


def _items(items: Item | Iterable[Item]):
    """Documents and skip reports from paths (files, directories) and records; ids must be unique."""
    from .documents import document_from_record, iter_documents
    from .models import Document, Skipped

    if isinstance(items, (str, Path, dict)):
        items = [items]
    items = list(items)
    paths = [str(i) for i in items if isinstance(i, (str, Path))]
    records = [i for i in items if not isinstance(i, (str, Path))]

    def read():
        if paths:
            yield from iter_documents(paths)
        for n, record in enumerate(records, 1):
            yield document_from_record(record, f"record {n}", f"record-{n}")

    seen: dict[str, str] = {}
    for item in read():
        if isinstance(item, Document):
            if item.id in seen:
                item = Skipped(item.origin or item.id, f"duplicate id {item.id} (first read from {seen[item.id]})")
            else:
                seen[item.id] = item.origin or item.id
        yield item


def _warn_skipped(report) -> None:
    """A SkippedRecordWarning for each record left out or read past a bad field (an invalid date), as the
    command line reports them; a date inferred for a report is a plain UserWarning, a notice."""
    for s in report.skipped:
        warnings.warn(f"skipped {s.origin}: {s.reason}", SkippedRecordWarning, stacklevel=3)
    for s in report.flawed:
        warnings.warn(f"warning {s.origin}: {s.reason}", SkippedRecordWarning, stacklevel=3)
    for s in report.notices:
        warnings.warn(f"notice {s.origin}: {s.reason}", UserWarning, stacklevel=3)


def code_text(text: str, date: str | None = None, *, doc_id: str = "text", title: str | None = None,
              source: str | None = None, url: str | None = None) -> list[dict]:
    """Code one report's text into events; `date` (YYYY-MM-DD) is its publication date, which relative
    dates ("on Tuesday") resolve against. Raises ValueError when the text cannot be coded (empty, too long,
    not English)."""
    from .documents import document_from_record
    from .models import Skipped

    doc = document_from_record({"id": doc_id, "text": text, "date": date, "title": title, "source": source,
                                "url": url}, doc_id, doc_id)
    if isinstance(doc, Skipped):
        raise ValueError(f"cannot code this text: {doc.reason}")
    return [e.to_dict() for e in _coder().code(doc)]


def code_documents(items: Item | Iterable[Item], *, merge: bool = True, workers: int = 1) -> list[dict]:
    """Code reports into events: paths (files or directories, any input format the CLI reads) and records
    (dicts with id, text, date, title, source, url, as in a JSONL feed). With `merge`, the same event told
    by several reports becomes one event carrying every mention, as `cablegram code` does. A record that
    cannot be read or coded is reported with a SkippedRecordWarning and left out."""
    from .pipeline import RunReport, code_items
    from .workers import open_coder

    report = RunReport()
    if workers <= 1:
        coded = [e for _doc, evs in code_items(_items(items), _coder(), report) for e in evs]
    else:
        with open_coder(workers) as coder:
            coded = [e for _doc, evs in code_items(_items(items), coder, report) for e in evs]
    _warn_skipped(report)
    if merge:
        from .consolidate import merge

        coded = merge(coded).events
    return [e.to_dict() for e in coded]


def ingest(items: Item | Iterable[Item], db: str = "cablegram.duckdb", *, workers: int = 1) -> dict:
    """Code reports (as `code_documents` reads them) into a store, a DuckDB file or a postgresql:// URL, then
    merge events and build stories; documents already stored are not coded again. Returns the counts."""
    from .pipeline import RunReport, ingest_items
    from .store import open_store
    from .workers import open_coder

    report = RunReport()
    with open_store(db) as store:
        if workers <= 1:
            ingest_items(_items(items), _coder(), store, report)
        else:
            with open_coder(workers) as coder:
                ingest_items(_items(items), coder, store, report)
        store.finish_pending()  # what this call stored, and any a stopped run left out of the merged view
        total = store.stats()
    _warn_skipped(report)
    return {"coded": report.coded, "unchanged": report.unchanged, "events": report.events,
            "skipped": len(report.skipped), "documents_stored": total["documents"], "events_stored": total["events"]}


def to_frame(events: Iterable[dict]):
    """Events as a pandas DataFrame, one flat row per event (the CSV columns)."""
    import pandas as pd

    from .output import CSV_COLUMNS, flatten

    return pd.DataFrame([flatten(e) for e in events], columns=CSV_COLUMNS)


def to_arrow(events: Iterable[dict]):
    """Events as a pyarrow Table in the Parquet layout: typed flat columns plus the whole event as JSON."""
    from .output_parquet import to_table

    return to_table(events)


class EventStore:
    """A store opened for reading: events (merged across reports unless `per_report`), stories, explanations."""

    def __init__(self, db: str):
        from .store import is_postgres, open_store

        if not is_postgres(db) and not Path(db).exists():
            raise FileNotFoundError(f"no such database: {db} (create it with cablegram.ingest(paths, {db!r}))")
        self._store = open_store(db, read_only=True)

    def events(self, *, actor: str | None = None, recipient: str | None = None, event_type: str | None = None,
               since: str | None = None, until: str | None = None, source: str | None = None,
               text: str | None = None, limit: int = 1000, per_report: bool = False) -> list[dict]:
        """Stored events matching every filter given (the same filters as `cablegram events`)."""
        from .store import EventFilter

        f = EventFilter(actor=actor, recipient=recipient, event_type=event_type.upper() if event_type else None,
                        since=since, until=until, source=source, text=text, limit=limit, merged=not per_report)
        return self._store.events(f)

    def events_frame(self, **filters):
        """`events(**filters)` as a pandas DataFrame, one flat row per event."""
        return to_frame(self.events(**filters))

    def events_arrow(self, **filters):
        """`events(**filters)` as a pyarrow Table in the Parquet layout."""
        return to_arrow(self.events(**filters))

    def stories(self) -> list[dict]:
        """Every story: reports grouped by parties, wording and time, with their issues."""
        return self._store.stories()

    def story(self, story_id: str) -> dict | None:
        """One story with its events, issue timelines and outlets compared, or None."""
        return self._store.story(story_id)

    def why(self, event_id: str) -> dict | None:
        """Which coded events were merged into an event and what matched, or None."""
        return self._store.why(event_id)

    def stats(self) -> dict:
        """How many documents and events the store holds."""
        return self._store.stats()

    def close(self) -> None:
        """Release the database."""
        self._store.close()

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(db: str = "cablegram.duckdb") -> EventStore:
    """Open a store for reading: a DuckDB file (made by `ingest` or `cablegram ingest`) or a postgresql:// URL."""
    return EventStore(db)
