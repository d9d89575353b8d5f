"""Web pages and feeds as documents: an article page through trafilatura, each item of an RSS or Atom feed
through the page it links to, with the item's title, date and link as the document's metadata and the feed's
title as the outlet when the page names none. A page's id is its URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urljoin

from ..dates import iso_date
from ..documents import document_from_html, document_from_record, is_url, strip_html
from ..models import Document, Skipped
from .http import FetchError, Fetcher, FetchSettings, Response


class FeedError(Exception):
    """A body that was taken for a feed cannot be read as one; the message says why."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: what identifies it, where its page is, and the metadata the feed gives it."""

    key: str  # the entry's id (guid), else its link
    link: str | None  # its page, an absolute http(s) URL
    title: str | None
    published: str | None  # YYYY-MM-DD
    updated: str | None  # the entry's revision stamp as written: a change means the page is fetched again
    text: str | None  # the entry's own content or summary without markup, used when it links to no page


@dataclass(frozen=True)
class Feed:
    title: str | None
    items: list[FeedItem]


def looks_like_feed(response: Response) -> bool:
    """Whether a response is a feed: by its declared type, else by an <rss>, <feed> or <rdf:RDF> root."""
    declared = response.content_type
    if any(kind in declared for kind in ("rss", "atom", "xml")):
        return True
    if "html" in declared:
        return False
    head = response.body[:2048].lower()
    return any(root in head for root in (b"<rss", b"<feed", b"<rdf:rdf"))


def parse_feed(body: bytes, base_url: str) -> Feed:
    """A feed's title and items; relative links are resolved against `base_url`. FeedError when the body is
    not a feed at all (a feed with small faults but readable entries is read, as feedparser allows)."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if parsed.bozo and not parsed.entries:
        raise FeedError(f"not a readable feed ({parsed.get('bozo_exception')})")
    if not parsed.entries and not parsed.feed.get("title"):
        raise FeedError("not a readable feed (no title and no entries)")
    items = []
    for n, entry in enumerate(parsed.entries, 1):
        link = _absolute(entry.get("link"), base_url)
        content = entry.get("content")
        text = strip_html(content[0].get("value", "") if content else entry.get("summary", "")) or None
        # dict.get: feedparser's own get() answers a missing "updated" with "published", and warns
        published, updated = dict.get(entry, "published"), dict.get(entry, "updated")
        date = (iso_date(published or updated)
                or iso_date(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")))
        items.append(FeedItem(key=entry.get("id") or link or f"{base_url}#{n}", link=link,
                              title=(entry.get("title") or "").strip() or None, published=date,
                              updated=updated or published, text=text))
    return Feed(title=(parsed.feed.get("title") or "").strip() or None, items=items)


def _absolute(link: str | None, base_url: str) -> str | None:
    """An item's link made absolute, or None for none, a malformed one, or one that is not http(s) (javascript:,
    mailto: and the like are never followed)."""
    if not link:
        return None
    try:
        link = urljoin(base_url, link)
    except ValueError:
        return None
    return link if is_url(link) else None


def page_document(response: Response, doc_id: str, item: FeedItem | None = None,
                  outlet: str | None = None) -> Document | Skipped:
    """A fetched article page as a document: the feed item's title, date and link win over the page's, and
    `outlet` stands in when neither the page nor its dateline names one."""
    doc = document_from_html(response.body, doc_id, origin=doc_id, title=item.title if item else None,
                             url=item.link if item else doc_id, feed_date=item.published if item else None)
    if isinstance(doc, Document) and doc.source is None:
        doc.source = outlet
    return doc


def item_document(item: FeedItem, fetcher: Fetcher, outlet: str | None) -> Document | Skipped:
    """A feed item as a document: its page fetched and read, or its own text when it links to no page."""
    if item.link:
        try:
            response = fetcher.get(item.link)
        except FetchError as exc:
            return Skipped(item.link, str(exc))
        return page_document(response, item.link, item, outlet)
    if not item.text:
        return Skipped(item.key, "feed item with neither a link nor any text")
    doc = document_from_record({"id": item.key, "text": item.text, "title": item.title, "date": item.published},
                               item.key, item.key)
    if isinstance(doc, Document) and doc.source is None:
        doc.source = outlet
    return doc


class UrlReader:
    """Reads URLs given to `code` and `ingest`: a page is one document, a feed one document per item."""

    def __init__(self, settings: FetchSettings = FetchSettings()):
        self.fetcher = Fetcher(settings)

    def read(self, url: str) -> Iterator[Document | Skipped]:
        try:
            response = self.fetcher.get(url)
        except FetchError as exc:
            yield Skipped(url, str(exc))
            return
        if not looks_like_feed(response):
            yield page_document(response, url)
            return
        try:
            feed = parse_feed(response.body, response.url)
        except FeedError as exc:
            yield Skipped(url, str(exc))
            return
        if not feed.items:
            yield Skipped(url, "feed has no entries")
        for item in feed.items:
            yield item_document(item, self.fetcher, feed.title)

    def close(self) -> None:
        self.fetcher.close()
