"""A read cache in front of a store, keyed on the store's version, for a server that answers many readers.

Every read is remembered under its arguments and the version the store reported before the read, so a
repeated question is answered without opening the database, and any write (a new version) makes every
answer be read again. While another process is writing, a question already answered once gets its last
answer instead of waiting for the file: readers never queue behind an ingest. Answers are shared between
requests; callers must not change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any, Callable

from .base import StoreBusy

READS = ("events", "count_events", "event", "document", "stats", "stories", "count_stories", "story", "why",
         "dyads", "dyad_days", "dyad_coarse_events", "weekly_counts", "feeds")
MAX_ENTRIES = 4096
# Set by a caller (the response cache) to a list per request; a last answer given instead of a fresh one is noted
# in it, so what was built from that answer is not kept as if it were the store's current state.
stale_reads: ContextVar[list | None] = ContextVar("stale_reads", default=None)


class CachedStore:
    """`store` with its reads remembered per store version (see the module docstring); every other attribute,
    writes included, is the store's own. A store whose `version()` is None is read every time."""

    def __init__(self, store, max_entries: int = MAX_ENTRIES):
        self.store = store
        self.max_entries = max_entries
        self._answers: OrderedDict[tuple, tuple[Any, Any]] = OrderedDict()  # key -> (version, answer)
        self._lock = threading.Lock()
        for name in READS:
            setattr(self, name, self._cached(name, getattr(store, name)))

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def _cached(self, name: str, read: Callable) -> Callable:
        def cached_read(*args, **kwargs):
            version = self.store.version()
            if version is None:
                return read(*args, **kwargs)
            key = (name, *map(_hashable, args), *sorted(kwargs.items()))
            with self._lock:
                hit = self._answers.get(key)
            if hit and hit[0] == version:
                return hit[1]
            try:
                answer = read(*args, **kwargs) if hit is None else self.store.without_waiting(read, *args, **kwargs)
            except StoreBusy:  # a writer holds the file: the last answer, rather than a wait
                noted = stale_reads.get()
                if noted is not None:
                    noted.append(name)
                return hit[1]
            with self._lock:
                self._answers[key] = (version, answer)
                self._answers.move_to_end(key)
                while len(self._answers) > self.max_entries:
                    self._answers.popitem(last=False)
            return answer

        cached_read.__doc__ = read.__doc__
        return cached_read


def _hashable(value: Any) -> Any:
    """A cache key part for an argument: filters (dataclasses) by their fields."""
    fields = getattr(value, "__dataclass_fields__", None)
    return (type(value).__name__, *(getattr(value, f) for f in fields)) if fields else value
