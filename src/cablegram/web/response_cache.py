"""Whole responses remembered per store version: a repeated GET of a page or an API answer is sent again
without rendering, until the store changes. Pure ASGI, so a hit costs no more than the HTTP server itself."""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..store.cache import stale_reads

SKIP_PREFIXES = ("/static", "/docs", "/redoc", "/openapi", "/static-offline-docs")
MAX_ENTRIES = 2048
MAX_BYTES = 64 * 1024 * 1024  # all kept bodies together; the least recently used go first
MAX_BODY = 2 * 1024 * 1024  # larger answers (big downloads) are rendered each time


class ResponseCache:
    """ASGI middleware: 200 answers to GET requests, keyed on path and query, kept while `version()` stays the
    same (never when it is None, nor when built from a last answer given during another process's write).
    Every other request passes straight through."""

    def __init__(self, app, version, max_entries: int = MAX_ENTRIES):
        self.app = app
        self.version = version
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, tuple] = OrderedDict()  # key -> (version, start message, body)
        self._bytes = 0
        self._lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(SKIP_PREFIXES):
            return await self.app(scope, receive, send)
        version = self.version()
        if version is None:
            return await self.app(scope, receive, send)
        key = (scope["path"], scope["query_string"])
        with self._lock:
            hit = self._entries.get(key)
            if hit:
                self._entries.move_to_end(key)
        if hit and hit[0] == version:
            await send(hit[1])
            await send({"type": "http.response.body", "body": hit[2]})
            return
        start, chunks, stale = {}, [], []
        stale_reads.set(stale)  # this request's own list, seen by the threads that render it

        async def keep(message):
            nonlocal chunks
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200 and chunks is not None:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_BODY:
                    chunks = None
                elif not message.get("more_body") and not stale:
                    self._remember(key, version, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _remember(self, key: tuple, version, start: dict, body: bytes) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes += len(body) - (len(old[2]) if old else 0)
            self._entries[key] = (version, start, body)
            while len(self._entries) > self.max_entries or self._bytes > MAX_BYTES:
                self._bytes -= len(self._entries.popitem(last=False)[1][2])
