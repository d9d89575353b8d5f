"""One store connection shared by the server's worker threads, used by one thread at a time."""

from __future__ import annotations

import threading


class SerialStore:
    """Wraps a store so that every method call holds one lock: an embedded DuckDB connection must not
    run two queries at once from different threads."""

    def __init__(self, store):
        self._store = store
        self._lock = threading.RLock()

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def locked(*args, **kwargs):
            with self._lock:
                return attr(*args, **kwargs)
        return locked
