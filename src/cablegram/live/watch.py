"""Following feeds and pages as they publish (`cablegram watch`): each round polls the feeds that are due
with conditional requests, stores the page of every item not stored yet with its events, merges across
reports, and reports one line. A failure is reported with its reason and tried again next round; a stop
(Ctrl-C, SIGTERM) lets the current item finish, so the store only ever holds whole documents.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from ..models import Document, Skipped
from ..store import StoreError
from .feed_list import Followed
from .http import FetchError, Fetcher, Response
from .remote import FeedError, FeedItem, item_document, looks_like_feed, page_document, parse_feed


@dataclass(frozen=True)
class Failure:
    """Something a round could not do: the feed it belongs to, the URL that failed, and why."""

    feed: str
    url: str
    reason: str

    def line(self) -> str:
        where = self.url if self.url == self.feed else f"{self.url} (from {self.feed})"
        return f"failed {where}: {self.reason}; tried again next round"


@dataclass
class RoundReport:
    """What one round did; `stopped` when a stop request ended it early (what is left waits for the next run)."""

    number: int
    polled: int = 0
    not_modified: int = 0
    new_documents: int = 0
    new_events: int = 0
    failures: list[Failure] = field(default_factory=list)
    stopped: bool = False

    def line(self, documents: int, events: int) -> str:
        """The round's one line, ending with what the store now holds in all."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        cached = f" ({self.not_modified} not modified)" if self.not_modified else ""
        stopped = "; stopped early, the rest waits for the next run" if self.stopped else ""
        return (f"{stamp} round {self.number}: {self.polled} feed(s) polled{cached}, {self.new_documents} new "
                f"document(s), {self.new_events} new event(s), {len(self.failures)} failure(s){stopped}; "
                f"the store holds {documents} document(s), {events} event(s)")


class Watcher:
    """Polls followed feeds and pages into a store (see the module docstring). The coder loads on first
    need, so a round with nothing new starts at once."""

    def __init__(self, store, fetcher: Fetcher, stop: threading.Event, coder=None):
        self.store = store
        self.fetcher = fetcher
        self.stop = stop
        self._coder = coder

    def run_round(self, feeds: list[Followed], number: int) -> RoundReport:
        """Poll `feeds` once, store what is new, and merge across reports when anything was stored."""
        report = RoundReport(number)
        for feed in feeds:
            if self.stop.is_set():
                report.stopped = True
                break
            try:
                self._poll(feed, report)
            except StoreError:
                raise  # the store itself is unusable: no further feed can be stored either
            except Exception as exc:  # a fault in reading one feed's answer must not stop the others
                self._poll_failed(feed, f"unexpected error: {type(exc).__name__}: {exc}", report)
        if report.new_documents:
            self.store.consolidate()
        return report

    def _poll(self, feed: Followed, report: RoundReport) -> None:
        """One feed or page: a conditional request, then whatever of its items is still pending."""
        report.polled += 1
        state = self.store.feed_state(feed.url) or {}
        try:
            response = self.fetcher.get(feed.url, state.get("etag"), state.get("last_modified"))
        except FetchError as exc:
            self._poll_failed(feed, str(exc), report)
        else:
            if response.not_modified:
                report.not_modified += 1
                self.store.record_poll(feed.url, feed.name, kind=None, status="not modified",
                                       etag=response.etag or state.get("etag"),
                                       last_modified=response.last_modified or state.get("last_modified"))
            elif looks_like_feed(response):
                self._take_feed(feed, response, report)
            elif state.get("kind") == "feed":  # an error or holding page where the feed was: not a report
                self._poll_failed(feed, f"expected a feed, got {response.content_type or 'no content type'}", report)
            else:
                self._take_page(feed, response, report)
        self._fetch_pending(feed, report)

    def _poll_failed(self, feed: Followed, reason: str, report: RoundReport) -> None:
        self.store.record_poll_failure(feed.url, feed.name, reason)
        report.failures.append(Failure(feed.url, feed.url, reason))

    def _take_feed(self, feed: Followed, response: Response, report: RoundReport) -> None:
        """Keep a feed's new items as pending, with the validators of this answer, in one transaction."""
        try:
            parsed = parse_feed(response.body, response.url)
        except FeedError as exc:
            self._poll_failed(feed, str(exc), report)
            return
        self.store.record_poll(feed.url, feed.name, kind="feed", status=f"{len(parsed.items)} item(s) listed",
                               title=parsed.title, etag=response.etag, last_modified=response.last_modified,
                               items=parsed.items)

    def _take_page(self, feed: Followed, response: Response, report: RoundReport) -> None:
        """A followed page: a new version is stored as a document of its own (its id is the URL)."""
        doc = page_document(response, feed.url, outlet=feed.name)
        result = self._store(doc, report)
        if isinstance(result, str):
            self._poll_failed(feed, result, report)
            return
        self.store.record_page(feed.url, feed.name, etag=response.etag, last_modified=response.last_modified,
                               title=doc.title, new=result)

    def _fetch_pending(self, feed: Followed, report: RoundReport) -> None:
        """Fetch, code and store every item of the feed still pending, oldest first, until a stop request."""
        pending = self.store.pending_items(feed.url)
        if not pending:
            return
        state = self.store.feed_state(feed.url) or {}
        outlet = state.get("title") or feed.name
        for row in pending:
            if self.stop.is_set():
                report.stopped = True
                return
            item = FeedItem(key=row["item_key"], link=row["link"], title=row["title"], published=row["published"],
                            updated=row["updated"], text=row["text"])
            doc = item_document(item, self.fetcher, outlet)
            result = self._store(doc, report)
            if isinstance(result, str):
                self.store.record_item_failure(feed.url, item.key, result)
                report.failures.append(Failure(feed.url, item.link or item.key, result))
            else:
                self.store.record_item_done(feed.url, item.key, doc.content_hash, doc.title, new=result)

    def _store(self, doc: Document | Skipped, report: RoundReport) -> bool | str:
        """Code and store a document: True when stored now, False when it already was, else the reason it
        could not be."""
        if isinstance(doc, Skipped):
            return doc.reason
        if self.store.has_document(doc.content_hash):
            return False
        failed: list[str] = []
        coded = list(self.coder.code_stream([doc], on_error=lambda _d, exc: failed.append(
            f"coding failed: {type(exc).__name__}: {exc}")))
        if failed or not coded:
            return failed[0] if failed else "coding failed"
        events = coded[0][1]
        if not self.store.add(doc, events):
            return False
        report.new_documents += 1
        report.new_events += len(events)
        return True

    @property
    def coder(self):
        if self._coder is None:
            from ..coding.coder import Coder

            self._coder = Coder()
        return self._coder


def follow(watcher: Watcher, feeds: list[Followed], every: float, once: bool,
           on_round: Callable[[RoundReport], None]) -> None:
    """Run rounds until a stop request (or one round with `once`), handing each report to `on_round`: a round
    polls the feeds whose interval (their own, else `every`) has passed since their last poll began."""
    due_at = {f.url: 0.0 for f in feeds}
    number = 0
    while True:
        now = time.monotonic()
        due = [f for f in feeds if due_at[f.url] <= now]
        number += 1
        on_round(watcher.run_round(due, number))
        for f in due:
            due_at[f.url] = now + (f.every or every)
        if once or watcher.stop.is_set() or watcher.stop.wait(max(0.0, min(due_at.values()) - time.monotonic())):
            return


@contextmanager
def stop_on_signals(stop: threading.Event, notice: Callable[[str], None]) -> Iterator[None]:
    """While inside, the first Ctrl-C or SIGTERM sets `stop` (the current item is finished and stored) and
    calls `notice` with the signal's name; a second one stops at once (an unfinished write is rolled back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        notice(signal.Signals(signum).name)

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
