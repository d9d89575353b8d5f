"""The storage interface every backend implements, and the shared filter type."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from ..models import Document, Event


class StoreError(RuntimeError):
    """The store cannot be used as asked (locked too long, wrong schema version, unreachable server)."""


@dataclass
class EventFilter:
    """Event query filters; every value is bound as a query parameter, never spliced into SQL."""

    actor: str | None = None
    recipient: str | None = None
    event_type: str | None = None
    quad: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    text: str | None = None
    pair: tuple[str, str] | None = None  # two country codes: events between them, in either direction
    limit: int = 100
    offset: int = 0


class Store(ABC):
    """Documents and their coded events. Writes are idempotent: a document is keyed by its content hash."""

    @abstractmethod
    def has_document(self, content_hash: str) -> bool: ...

    @abstractmethod
    def add(self, doc: Document, events: list[Event]) -> bool:
        """Store a document and its events in one transaction; False if it was already stored."""

    def add_many(self, items: list[tuple[Document, list[Event]]]) -> list[bool]:
        """Store several documents, each in its own transaction; for each, whether it was new."""
        return [self.add(doc, events) for doc, events in items]

    @abstractmethod
    def events(self, f: EventFilter) -> list[dict]:
        """Events matching the filter, newest first, as schema dicts."""

    @abstractmethod
    def count_events(self, f: EventFilter) -> int: ...

    @abstractmethod
    def event(self, event_id: str) -> dict | None: ...

    @abstractmethod
    def document(self, doc_id: str) -> dict | None:
        """A stored document by its id: text and metadata."""

    @abstractmethod
    def stats(self) -> dict:
        """Counts for an overview: documents, events, events by type, most active pairs."""

    @abstractmethod
    def dyads(self, limit: int = 20) -> list[dict]:
        """Most active country pairs, either direction, with their events counted by quad class."""

    @abstractmethod
    def dyad_days(self, a: str, b: str) -> list[dict]:
        """Events between countries a and b (either direction) with a day-precise date, counted per day
        and quad class: [{date, quad, events}], oldest first."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
