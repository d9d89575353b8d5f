"""The storage interface every backend implements, and the shared filter type."""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from ..models import Document, Event


class StoreError(RuntimeError):
    """The store cannot be used as asked (locked too long, wrong schema version, unreachable server)."""


class StoreBusy(StoreError):
    """Another process holds the database for writing, and the caller asked not to wait (without_waiting)."""


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
    merged: bool = False  # list events merged across reports (one per real-world event), not as coded per report


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
        """Events matching the filter, newest first, as schema dicts: as coded per report, or with
        `f.merged` as merged across reports (with num_sources, num_articles, story_id and merge)."""

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

    # ------------------------------------------------------------ consolidation (cross-document)

    def consolidate(self, full: bool = False) -> int:
        """Bring merged events and stories up to date after an ingest: merge again only the blocks new
        documents touched, one at a time, and rebuild only the stories that changed (`full`: every block and
        story); returns the number of stories (consolidate/incremental.py). Clears the stale mark it started
        from, not one a writer set meanwhile."""
        from ..consolidate.incremental import consolidate_store

        with self.session():
            pending = self.pending_consolidation()
            stories = consolidate_store(self, full)
            if pending is not None:
                self.clear_pending(pending)
        return stories

    def session(self) -> AbstractContextManager[None]:
        """A block whose store calls may share one connection, for a caller that makes many in a row (a
        consolidation); a backend that keeps its connection anyway needs nothing more."""
        return nullcontext()

    @abstractmethod
    def pending_consolidation(self) -> int | None:
        """The stale mark's generation while stored documents are missing from the merged events and stories
        (`add` sets it in the transaction that stores a document), else None."""

    @abstractmethod
    def clear_pending(self, done: int) -> None:
        """Clear the stale mark if it still has generation `done` (no document was stored meanwhile)."""

    def finish_pending(self) -> bool:
        """Consolidate when the merged view is stale (a run stopped between storing and merging); whether it did."""
        if self.pending_consolidation() is None:
            return False
        self.consolidate()
        return True

    @abstractmethod
    def stories(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Stories, latest first, `limit` of them (all when None) after the first `offset`: [{id, title,
        parties: [country codes, most involved first], first_date, last_date, num_events, num_documents}].
        Dates are YYYY[-MM[-DD]] strings or None."""

    @abstractmethod
    def count_stories(self) -> int: ...

    @abstractmethod
    def story(self, story_id: str) -> dict | None:
        """One story: the summary fields of `stories()` and
        documents: [{id, title, source, published}];
        events: [merged event dicts as in docs/event.schema.json plus num_sources, num_articles, story_id,
                 merge (the steps that joined it, see why())], by date;
        issues: [{label, phrases, mentions, timeline: [{event_id, date, state (raised, demanded, refused,
                 agreed, implemented, imposed), event_type, status, actor, recipient, sources, sentence}]}];
        comparison: {outlets, shared: [brief], only: {outlet: [brief]}, disagreements: [{kind (date, who,
                 place, number), detail, event_ids, similarity (not for number)}], hedged: [brief + hedged_by,
                 stated_by]}, where a brief
                 is {event_id, event_type, date, actor, recipient, sentence}."""

    @abstractmethod
    def why(self, event_id: str) -> dict | None:
        """Why an event is what it is: {event (merged), members: [coded event ids], steps: [{joined, types,
        parties, dates, places, similarity}]}; `event_id` may be a merged or a coded event's id."""

    @abstractmethod
    def dyads(self, limit: int = 20) -> list[dict]:
        """Most active country pairs, either direction, with their events counted by quad class."""

    @abstractmethod
    def dyad_days(self, a: str, b: str) -> list[dict]:
        """Events between countries a and b (either direction) with a day-precise date, counted per day
        and quad class: [{date, quad, events}], oldest first."""

    @abstractmethod
    def dyad_coarse_events(self, a: str, b: str, limit: int) -> list[dict]:
        """Events between a and b (either direction) dated only to a month or year, or undated, one row each:
        [{id, event_type, quad, date, doc_id, title}], in report order (dated reports oldest first, then by
        id) and by position in the report, at most `limit`."""

    @abstractmethod
    def weekly_counts(self, merged: bool = True) -> list[dict]:
        """Every event with a day-precise date (merged across reports, or as coded when not `merged`), counted
        per day and quad class: [{date, quad, events}], oldest first."""

    # ------------------------------------------------------------ followed feeds (cablegram watch; store/feeds_sql.py)

    @abstractmethod
    def feed_state(self, url: str) -> dict | None:
        """{kind, title, etag, last_modified} of a followed feed or page, or None when never polled."""

    @abstractmethod
    def record_poll(self, url: str, name: str | None, *, kind: str | None, status: str, title: str | None = None,
                    etag: str | None = None, last_modified: str | None = None, items: list | None = None) -> int:
        """A successful poll: validators and newly listed items (kept pending) in one transaction; how many."""

    @abstractmethod
    def record_poll_failure(self, url: str, name: str | None, reason: str) -> None: ...

    @abstractmethod
    def pending_items(self, url: str) -> list[dict]:
        """The feed's items whose pages are not stored yet, oldest first."""

    @abstractmethod
    def record_item_done(self, url: str, key: str, content_hash: str | None, title: str | None, new: bool) -> None: ...

    @abstractmethod
    def record_item_failure(self, url: str, key: str, reason: str) -> None: ...

    @abstractmethod
    def record_page(self, url: str, name: str | None, *, etag: str | None, last_modified: str | None,
                    title: str | None, new: bool) -> None: ...

    @abstractmethod
    def feeds(self) -> list[dict]:
        """Every followed feed or page with its freshness, for the dashboard (GET /api/feeds documents the keys)."""

    def version(self):
        """A value that changes whenever the stored data may have changed, for caching reads (store.cache);
        None when the backend cannot tell cheaply, and reads are then never cached."""
        return None

    def without_waiting(self, read, *args, **kwargs):
        """`read(...)`, raising StoreBusy at once where the backend would wait for another process's write."""
        return read(*args, **kwargs)

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
