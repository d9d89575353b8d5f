"""Fetching against a real HTTP server on 127.0.0.1: conditional requests, retries with growing pauses, time
limits, pacing per host, size limits, and the reasons a failure is reported with."""

from __future__ import annotations

import time

import pytest

from cablegram.live.feed_list import FeedListError, Followed, parse_duration, read_feed_list
from cablegram.live.http import FetchError, Fetcher, FetchSettings, _retry_after
from cablegram.live.remote import FeedError, looks_like_feed, parse_feed
from site_server import SiteServer


@pytest.fixture
def site():
    server = SiteServer().start()
    yield server
    server.stop()


def fetcher(**settings) -> Fetcher:
    return Fetcher(FetchSettings(**{"timeout": 2.0, "retries": 0, "backoff": 0.05, "host_delay": 0.0, **settings}))


def test_a_conditional_request_for_an_unchanged_feed_gets_304_and_no_body(site):
    with fetcher() as f:
        first = f.get(site.base + "/feed.xml")
        assert first.status == 200 and first.etag and first.last_modified and b"Harbour Ledger World" in first.body
        again = f.get(site.base + "/feed.xml", first.etag, first.last_modified)
        assert again.not_modified and again.body == b""
        site.add_feed_item()
        changed = f.get(site.base + "/feed.xml", first.etag, first.last_modified)
    assert changed.status == 200 and changed.etag != first.etag and b"dhaka-water" in changed.body
    assert site.requests("/feed.xml") == [200, 304, 200]


def test_transient_failures_are_retried_with_doubling_pauses(site):
    site.put("/flaky.html", site.file("nairobi-aid.html"), fail_first=2)
    start = time.monotonic()
    with fetcher(retries=2, backoff=0.1) as f:
        response = f.get(site.base + "/flaky.html")
    assert response.status == 200 and site.requests("/flaky.html") == [503, 503, 200]
    assert time.monotonic() - start >= 0.1 + 0.2


def test_failures_name_their_reason_and_only_transient_ones_are_retried(site):
    site.put("/broken.xml", status=500)
    site.put("/slow.html", "late", delay=1.0)
    with fetcher(retries=2, timeout=0.3) as f:
        with pytest.raises(FetchError, match=r"^HTTP 500 Internal Server Error \(tried 3 times\)$"):
            f.get(site.base + "/broken.xml")
        with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
            f.get(site.base + "/missing.html")
        with pytest.raises(FetchError, match=r"^timed out after 0.3 s"):
            f.get(site.base + "/slow.html")
        with pytest.raises(FetchError, match="not an http"):
            f.get("file:///etc/passwd")
        with pytest.raises(FetchError, match="invalid URL"):
            f.get("http://[::1/feed.xml")
        with pytest.raises(FetchError, match="invalid URL"):
            f.get("http://exa mple.org/feed.xml")
        with pytest.raises(FetchError, match="invalid URL"):
            f.get("http://xn--a.example/feed.xml")
    assert site.requests("/missing.html") == [404]  # a 404 will not pass by asking again
    assert len(site.requests("/broken.xml")) == 3


def test_a_refused_connection_and_an_oversized_body_are_reported(site):
    with fetcher(max_bytes=100) as f:
        with pytest.raises(FetchError, match="larger than"):
            f.get(site.base + "/feed.xml")
    site.stop()
    with fetcher() as f, pytest.raises(FetchError, match="cannot connect"):
        f.get(site.base + "/feed.xml")


def test_requests_to_one_host_are_paced_and_other_hosts_are_not(site):
    other = site.base.replace("127.0.0.1", "localhost")
    with fetcher(host_delay=0.3) as f:
        start = time.monotonic()
        f.get(site.base + "/feed.xml")
        f.get(other + "/feed.xml")  # another host name: no wait
        assert time.monotonic() - start < 0.25
        f.get(site.base + "/ankara-talks.html")
        f.get(site.base + "/tokyo-protest.html")
        assert time.monotonic() - start >= 0.6


def test_retry_after_is_read_as_seconds_or_a_date():
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert 0 <= _retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))) <= 31


def test_feeds_are_told_from_pages_and_their_items_read(site):
    with fetcher() as f:
        feed, page = f.get(site.base + "/feed.xml"), f.get(site.base + "/ankara-talks.html")
        malformed = f.get(site.base + "/malformed.xml")
    assert looks_like_feed(feed) and not looks_like_feed(page)
    parsed = parse_feed(feed.body, feed.url)
    assert parsed.title == "Harbour Ledger World"
    assert [(i.title, i.link, i.published) for i in parsed.items][0] == (
        "Turkey and Greece resume talks on the Aegean", site.base + "/ankara-talks.html", "2025-03-03")
    with pytest.raises(FeedError, match="not a readable feed"):
        parse_feed(malformed.body, malformed.url)
    links = parse_feed(b'<rss version="2.0"><channel><title>T</title><item><title>a</title><link>/a.html</link>'
                       b'</item><item><title>b</title><link>javascript:alert(1)</link></item>'
                       b'<item><title>c</title><link>http://[::1/c.html</link></item></channel></rss>',
                       "http://127.0.0.1:9/feeds/world.xml")
    assert [i.link for i in links.items] == ["http://127.0.0.1:9/a.html", None, None]


def test_intervals_are_read_with_their_units():
    assert parse_duration("15m") == 900 and parse_duration("1h30m") == 5400 and parse_duration("90") == 90
    assert parse_duration("2d") == 172800 and parse_duration(" 45s ") == 45
    for bad in ("", "soon", "15 minutes", "0s", "5x"):
        with pytest.raises(FeedListError):
            parse_duration(bad)


def test_a_feeds_file_is_one_url_a_line_or_toml(tmp_path):
    lines = tmp_path / "feeds.txt"
    lines.write_text("# world news\nhttps://example.org/world.rss\n\nhttp://example.org/page#top  # a page\n")
    assert read_feed_list(lines) == [Followed("https://example.org/world.rss"), Followed("http://example.org/page#top")]
    toml = tmp_path / "feeds.toml"
    toml.write_text('[[feed]]\nurl = "https://example.org/world.rss"\nname = "Example World"\nevery = "30m"\n\n'
                    '[[feed]]\nurl = "https://example.org/asia.rss"\n')
    assert read_feed_list(toml) == [Followed("https://example.org/world.rss", "Example World", 1800.0),
                                    Followed("https://example.org/asia.rss")]
    for text, problem in (("ftp://example.org/x\n", "feeds.txt:1: not an http"),):
        lines.write_text(text)
        with pytest.raises(FeedListError, match=problem):
            read_feed_list(lines)
    for text, problem in (('[[feed]]\nurl = "https://x.org/a"\nevery = "soon"\n', "feed 1: not an interval"),
                          ('[[feed]]\nurl = "https://x.org/a"\nlink = "b"\n', "unknown key 'link'"),
                          ('[[feed]]\nname = "no url"\n', "url must be an http"),
                          ('[feed]\nurl = "https://x.org/a"\n', "array of tables"),
                          ("[[feed]\n", "not valid TOML")):
        toml.write_text(text)
        with pytest.raises(FeedListError, match=problem):
            read_feed_list(toml)
