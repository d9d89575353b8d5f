"""The whole flow for a set of inputs: read, skip what is already stored, code, and report what was skipped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .coding.coder import Coder
from .documents import iter_documents
from .models import Document, Event, Skipped
from .store.base import Store


@dataclass
class RunReport:
    """What happened to every input record: coded, already stored, or skipped with a reason; and what was
    read past in records that were coded (`flawed`: a bad field) or assumed about them (`notices`)."""

    coded: int = 0
    unchanged: int = 0
    events: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    flawed: list[Skipped] = field(default_factory=list)
    notices: list[Skipped] = field(default_factory=list)


def code_paths(paths: Iterable[str], coder: Coder, report: RunReport,
               seen: Callable[[Document], bool] | None = None,
               date: dt.date | None = None) -> Iterator[tuple[Document, list[Event]]]:
    """Code every readable document under `paths` (see `code_items`); `date` dates the reports that give no
    full date (documents.infer_date)."""
    return code_items(iter_documents(paths, date), coder, report, seen)


def code_items(items: Iterable[Document | Skipped], coder: Coder, report: RunReport,
               seen: Callable[[Document], bool] | None = None) -> Iterator[tuple[Document, list[Event]]]:
    """Code every document of `items`; skip reports go to `report.skipped`, documents for which `seen`
    says True are counted as unchanged and not coded again."""
    def documents():
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
            elif seen is not None and seen(item):
                report.unchanged += 1
            else:
                where = item.origin or item.id
                report.flawed += [Skipped(where, w) for w in item.warnings]
                report.notices += [Skipped(where, item.date_note)] if item.date_note else []
                yield item

    def failed(doc: Document, exc: Exception) -> None:
        report.skipped.append(Skipped(doc.origin or doc.id, f"coding failed: {type(exc).__name__}: {exc}"))

    for doc, events in coder.code_stream(documents(), on_error=failed):
        report.coded += 1
        report.events += len(events)
        yield doc, events


def ingest_paths(paths: Iterable[str], coder: Coder, store: Store, report: RunReport,
                 batch: int = 16, on_stored: Callable[[int], None] | None = None, date: dt.date | None = None) -> None:
    """Code what `store` lacks under `paths` and store it (see `ingest_items`); `date` as in `code_paths`."""
    ingest_items(iter_documents(paths, date), coder, store, report, batch, on_stored)


def ingest_items(items: Iterable[Document | Skipped], coder: Coder, store: Store, report: RunReport,
                 batch: int = 16, on_stored: Callable[[int], None] | None = None) -> None:
    """Code what `store` lacks of `items` and store it, `batch` documents per connection.

    Each document goes in with its events in one transaction, so a run killed part-way leaves only
    whole documents, and the next run codes just the ones missing. Batching keeps a DuckDB file
    locked only for the moment a batch is written, so a server can read it in between.
    """
    pending: list[tuple[Document, list[Event]]] = []

    def flush() -> None:
        stored = store.add_many(pending)
        report.unchanged += stored.count(False)  # written meanwhile by another process
        pending.clear()
        if on_stored is not None:
            on_stored(len(stored))

    for doc, events in code_items(items, coder, report, seen=lambda d: store.has_document(d.content_hash)):
        pending.append((doc, events))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
