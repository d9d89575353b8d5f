"""What `cablegram watch` remembers about each followed feed or page, in SQL both backends accept.

A feed's row keeps its validators (ETag, Last-Modified) for the next conditional request and its freshness
for the dashboard (last poll, last new item, last error). Each item a feed lists is kept as pending until its
page is stored: recorded in the same transaction as the validators that hid it from the next poll, so an item
seen once is fetched later even when the feed answers 304, and a stop at any point loses nothing.
A backend mixes `FeedStateSql` in and supplies `_connect`, `_transaction` and `_run`, as for ConsolidationSql.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

FEED_TABLES = (
    """CREATE TABLE IF NOT EXISTS followed_feeds (
        url {text} PRIMARY KEY, kind {text}, name {text}, title {text}, etag {text}, last_modified {text},
        last_poll TIMESTAMP, last_status {text}, last_new_at TIMESTAMP, last_new_title {text},
        last_error {text}, last_error_at TIMESTAMP, documents INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS followed_items (
        feed_url {text} NOT NULL, item_key {text} NOT NULL, link {text}, title {text}, published {text},
        updated {text}, text {text}, state {text} NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        last_error {text}, content_hash {text}, first_seen TIMESTAMP NOT NULL, done_at TIMESTAMP,
        PRIMARY KEY (feed_url, item_key))""",
)
FEED_COLUMNS = ("url", "kind", "name", "title", "last_poll", "last_status", "last_new_at", "last_new_title",
                "last_error", "last_error_at", "documents")
ITEM_COLUMNS = ("item_key", "link", "title", "published", "updated", "text", "attempts", "last_error")
PENDING, DONE = "pending", "done"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class FeedStateSql:
    """Followed feeds and their items (see the module docstring)."""

    def _touch_feed(self, con: Any, url: str, name: str | None, kind: str | None = None,
                    title: str | None = None) -> None:
        """Make sure the feed has a row, with its configured name (a run given none keeps the one stored) and
        what its last answer said it is."""
        self._run(con, "INSERT INTO followed_feeds (url, name, kind, title) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (url) DO NOTHING", [url, name, kind, title])
        self._run(con, "UPDATE followed_feeds SET name = coalesce(?, name), kind = coalesce(?, kind), "
                       "title = coalesce(?, title) WHERE url = ?", [name, kind, title, url])

    def feed_state(self, url: str) -> dict | None:
        """What the feed's last answers said: kind ('feed' or 'page'), title, and the validators (etag,
        last_modified) of the last answer fully taken in; None for a feed never polled."""
        with self._connect(write=False) as con:
            row = self._run(con, "SELECT kind, title, etag, last_modified FROM followed_feeds WHERE url = ?",
                            [url]).fetchone()
        return dict(zip(("kind", "title", "etag", "last_modified"), row)) if row else None

    def record_poll(self, url: str, name: str | None, *, kind: str | None, status: str, title: str | None = None,
                    etag: str | None = None, last_modified: str | None = None, items: list | None = None) -> int:
        """A successful poll: new validators, and every listed item not seen before (or revised since, by its
        `updated` stamp) kept as pending, all in one transaction; returns how many items became pending."""
        now = _now()
        added = 0
        with self._connect(write=True) as con, self._transaction(con):
            self._touch_feed(con, url, name, kind, title)
            self._run(con, "UPDATE followed_feeds SET last_poll = ?, last_status = ?, etag = ?, last_modified = ? "
                           "WHERE url = ?", [now, status, etag, last_modified, url])
            for item in items or ():
                known = self._run(con, "SELECT state, updated FROM followed_items WHERE feed_url = ? AND item_key = ?",
                                  [url, item.key]).fetchone()
                if known is not None and (known[0] == PENDING or known[1] == item.updated):
                    continue
                values = [item.link, item.title, item.published, item.updated, item.text, PENDING, now]
                if known is None:
                    self._run(con, "INSERT INTO followed_items (link, title, published, updated, text, state, "
                                   "first_seen, feed_url, item_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              values + [url, item.key])
                else:
                    self._run(con, "UPDATE followed_items SET link = ?, title = ?, published = ?, updated = ?, "
                                   "text = ?, state = ?, first_seen = ?, attempts = 0, last_error = NULL "
                                   "WHERE feed_url = ? AND item_key = ?", values + [url, item.key])
                added += 1
        return added

    def record_poll_failure(self, url: str, name: str | None, reason: str) -> None:
        """A poll that failed: the reason and its time, for the round's report and the dashboard."""
        now = _now()
        with self._connect(write=True) as con, self._transaction(con):
            self._touch_feed(con, url, name)
            self._run(con, "UPDATE followed_feeds SET last_poll = ?, last_status = 'failed', last_error = ?, "
                           "last_error_at = ? WHERE url = ?", [now, reason, now, url])

    def pending_items(self, url: str) -> list[dict]:
        """The feed's items whose pages are not stored yet, oldest first."""
        with self._connect(write=False) as con:
            rows = self._run(con, f"SELECT {', '.join(ITEM_COLUMNS)} FROM followed_items "
                                  "WHERE feed_url = ? AND state = ? ORDER BY first_seen, published, item_key",
                             [url, PENDING]).fetchall()
        return [dict(zip(ITEM_COLUMNS, row)) for row in rows]

    def record_item_done(self, url: str, key: str, content_hash: str | None, title: str | None, new: bool) -> None:
        """An item's page is stored (`new`: by this call rather than before); the feed's last new item moves on."""
        now = _now()
        with self._connect(write=True) as con, self._transaction(con):
            self._run(con, "UPDATE followed_items SET state = ?, content_hash = ?, done_at = ?, last_error = NULL "
                           "WHERE feed_url = ? AND item_key = ?", [DONE, content_hash, now, url, key])
            if new:
                self._record_new(con, url, title, now)

    def record_page(self, url: str, name: str | None, *, etag: str | None, last_modified: str | None,
                    title: str | None, new: bool) -> None:
        """A followed page read and stored: its validators kept for the next poll only now, so a page that
        could not be stored is fetched whole again."""
        now = _now()
        with self._connect(write=True) as con, self._transaction(con):
            self._touch_feed(con, url, name, "page", title)
            self._run(con, "UPDATE followed_feeds SET last_poll = ?, last_status = ?, etag = ?, last_modified = ? "
                           "WHERE url = ?", [now, "new version" if new else "unchanged", etag, last_modified, url])
            if new:
                self._record_new(con, url, title, now)

    def _record_new(self, con: Any, url: str, title: str | None, now: datetime) -> None:
        self._run(con, "UPDATE followed_feeds SET last_new_at = ?, last_new_title = ?, documents = documents + 1 "
                       "WHERE url = ?", [now, title, url])

    def record_item_failure(self, url: str, key: str, reason: str) -> None:
        """An item's page could not be fetched, read or coded: it stays pending for the next round, and the
        reason becomes the feed's last error."""
        now = _now()
        with self._connect(write=True) as con, self._transaction(con):
            self._run(con, "UPDATE followed_items SET attempts = attempts + 1, last_error = ? "
                           "WHERE feed_url = ? AND item_key = ?", [reason, url, key])
            self._run(con, "UPDATE followed_feeds SET last_error = ?, last_error_at = ? WHERE url = ?",
                      [reason, now, url])

    def feeds(self) -> list[dict]:
        """Every followed feed or page with its freshness: last poll and its outcome, last new item, last error,
        documents stored from it and items still pending; by URL."""
        with self._connect(write=False) as con:
            rows = self._run(con, f"SELECT {', '.join('f.' + c for c in FEED_COLUMNS)}, "
                                  "(SELECT count(*) FROM followed_items i WHERE i.feed_url = f.url AND i.state = ?) "
                                  "FROM followed_feeds f ORDER BY f.url", [PENDING]).fetchall()
        return [dict(zip(FEED_COLUMNS + ("pending",), row)) for row in rows]
