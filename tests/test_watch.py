"""Following feeds and pages against a real HTTP server on 127.0.0.1 (tests/site_server.py), with the real coder
and real stores: the first round stores every item, later rounds only what is new, a 304 fetches nothing,
failures are reported and retried, a changed page is stored again, and a restart or a SIGTERM loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.coding.coder import Coder
from cablegram.live.feed_list import Followed
from cablegram.live.http import Fetcher, FetchSettings
from cablegram.live.watch import Watcher, follow
from cablegram.store import EventFilter, open_store
from cablegram.web.app import create_app
from site_server import SiteServer

PAGES = ("/ankara-talks.html", "/nairobi-aid.html", "/tokyo-protest.html")
CABLEGRAM = [sys.executable, "-m", "cablegram.cli"]


@pytest.fixture(scope="module")
def coder():
    return Coder()


@pytest.fixture
def site():
    server = SiteServer().start()
    yield server
    server.stop()


def watcher(store, coder, **settings) -> Watcher:
    stop = threading.Event()
    fetch = FetchSettings(**{"timeout": 2.0, "retries": 0, "backoff": 0.05, "host_delay": 0.0, **settings})
    return Watcher(store, Fetcher(fetch, stop), stop, coder)


def documents(store) -> dict[str, dict]:
    """Stored documents by id (the latest version of each)."""
    return {doc_id: store.document(doc_id) for _hash, doc_id in store.snapshot()["documents"]}


def test_first_round_stores_every_item_and_later_rounds_only_what_is_new(db, site, coder):
    feed = Followed(site.base + "/feed.xml")
    with open_store(db) as store:
        first = watcher(store, coder).run_round([feed], 1)
        assert (first.polled, first.new_documents, first.failures) == (1, 3, [])
        docs = documents(store)
        assert sorted(docs) == sorted(site.base + p for p in PAGES)
        ankara = docs[site.base + "/ankara-talks.html"]
        # the item's date wins over the page's own (2025-03-02); the page names its outlet
        assert (ankara["title"], ankara["feed_date"], ankara["source"], ankara["url"]) == (
            "Turkey and Greece resume talks on the Aegean", "2025-03-03", "Harbour Ledger",
            site.base + "/ankara-talks.html")
        assert docs[site.base + "/nairobi-aid.html"]["source"] == "Harbour Ledger World"  # the page names none
        coded = store.events(EventFilter(limit=100))
        assert {m["doc_id"] for e in coded for m in e["mentions"]} == set(docs)
        assert first.new_events == len(coded)
        assert any(e["event_type"] == "CONSULT" and {e["actor"]["country"], e["recipient"]["country"]} == {"TUR", "GRC"}
                   for e in coded)
        assert store.count_events(EventFilter(merged=True)) > 0  # merged across reports after the round

        site.clear_log()
        second = watcher(store, coder).run_round([feed], 2)
        assert (second.not_modified, second.new_documents) == (1, 0)
        assert site.log == [("/feed.xml", 304)]  # nothing else fetched

        site.add_feed_item()
        site.clear_log()
        third = watcher(store, coder).run_round([feed], 3)
        assert third.new_documents == 1 and third.new_events >= 1
        assert site.log == [("/feed.xml", 200), ("/dhaka-water.html", 200)]
        state = store.feeds()[0]
        assert (state["kind"], state["title"], state["documents"], state["pending"], state["last_error"]) == (
            "feed", "Harbour Ledger World", 4, 0, None)
        assert state["last_new_title"] == "India and Bangladesh sign a water-sharing agreement"

    site.clear_log()
    with open_store(db) as restarted:  # a new process: the validators come from the store
        again = watcher(restarted, coder).run_round([feed], 1)
    assert again.new_documents == 0 and site.log == [("/feed.xml", 304)]


def test_failures_are_reported_with_the_reason_and_retried_next_round(tmp_path, site, coder):
    site.put_feed("/mixed.xml", "Mixed Wire", [
        ("Japan protests", "/slow.html", "Wed, 05 Mar 2025 07:15:00 +0000"),
        ("Aid for Sudan", "/down.html", "Tue, 04 Mar 2025 11:00:00 +0000"),
        ("Talks in Ankara", "/ankara-talks.html", "Mon, 03 Mar 2025 09:30:00 +0000")])
    site.put("/slow.html", site.file("tokyo-protest.html"), delay=1.5)
    site.put("/down.html", status=500)
    site.put("/broken.xml", status=500)
    feeds = [Followed(site.base + p) for p in ("/mixed.xml", "/broken.xml", "/malformed.xml")]
    with open_store(str(tmp_path / "w.duckdb")) as store:
        first = watcher(store, coder, timeout=0.5).run_round(feeds, 1)
        reasons = {f.url.removeprefix(site.base): f.reason for f in first.failures}
        assert reasons == {"/slow.html": "timed out after 0.5 s", "/down.html": "HTTP 500 Internal Server Error",
                           "/broken.xml": "HTTP 500 Internal Server Error",
                           "/malformed.xml": reasons["/malformed.xml"]}
        assert reasons["/malformed.xml"].startswith("not a readable feed")
        assert first.new_documents == 1
        assert "failed " + site.base + "/down.html (from " + site.base + "/mixed.xml): HTTP 500" in \
            first.failures[[f.url for f in first.failures].index(site.base + "/down.html")].line()
        state = {f["url"].removeprefix(site.base): f for f in store.feeds()}
        assert state["/mixed.xml"]["pending"] == 2 and state["/mixed.xml"]["last_error"]
        assert state["/broken.xml"]["last_status"] == "failed"

        site.put("/slow.html", site.file("tokyo-protest.html"))
        site.put("/down.html", site.file("nairobi-aid.html"))
        site.put("/broken.xml", site.file("feed.xml").replace("Harbour Ledger World", "Second Wire"),
                 "application/rss+xml")
        site.clear_log()
        second = watcher(store, coder, timeout=0.5).run_round(feeds, 2)
        assert ("/mixed.xml", 304) in site.log  # the feed did not change, its pending pages were fetched anyway
        assert ("/slow.html", 200) in site.log and ("/down.html", 200) in site.log
        assert [f.url.removeprefix(site.base) for f in second.failures] == ["/malformed.xml"]
        assert second.new_documents == 2 + 2  # the two retried pages, and broken.xml's two pages not stored yet
        assert {f["url"].removeprefix(site.base): f["pending"] for f in store.feeds()} == {
            "/mixed.xml": 0, "/broken.xml": 0, "/malformed.xml": 0}

        site.put("/broken.xml", "<html><body><p>Down for maintenance, back soon.</p></body></html>")
        third = watcher(store, coder).run_round(feeds[1:2], 3)
        assert [f.reason for f in third.failures] == ["expected a feed, got text/html; charset=utf-8"]
        assert third.new_documents == 0


def test_a_followed_page_is_stored_again_when_it_changes(tmp_path, site, coder):
    site.put("/oslo.html", site.file("oslo-talks-v1.html"))
    page = Followed(site.base + "/oslo.html", name="Oslo talks")
    with open_store(str(tmp_path / "w.duckdb")) as store:
        w = watcher(store, coder)
        assert w.run_round([page], 1).new_documents == 1
        site.clear_log()
        assert w.run_round([page], 2).not_modified == 1 and site.log == [("/oslo.html", 304)]
        site.put("/oslo.html", site.file("oslo-talks-v2.html"))
        third = w.run_round([page], 3)
        assert third.new_documents == 1
        versions = [doc_id for _hash, doc_id in store.snapshot()["documents"]]
        assert versions == [site.base + "/oslo.html"] * 2  # each version kept, under the page's URL
        assert "Venezuela" in store.document(site.base + "/oslo.html")["text"]
        state = store.feeds()[0]
        assert (state["kind"], state["name"], state["last_status"], state["documents"]) == (
            "page", "Oslo talks", "new version", 2)


def test_rounds_repeat_at_the_interval_until_stopped(tmp_path, site, coder):
    reports = []
    with open_store(str(tmp_path / "w.duckdb")) as store:
        w = watcher(store, coder)

        def on_round(report):
            reports.append(report)
            if len(reports) == 3:
                w.stop.set()

        start = time.monotonic()
        follow(w, [Followed(site.base + "/feed.xml", every=0.3), Followed(site.base + "/oslo-talks-v1.html")],
               every=3600, once=False, on_round=on_round)
    assert [r.polled for r in reports] == [2, 1, 1]  # the page's own interval (an hour) has not come round
    assert [r.new_documents for r in reports] == [4, 0, 0] and time.monotonic() - start >= 0.6


def test_watch_once_from_the_command_line_then_only_the_new_item(tmp_path, site):
    """The issue's "done when": `watch FEED --once` stores every item's page with its events; after the feed
    gains an item, a second run (here from a TOML feeds file naming it, beside a feed that is gone) codes exactly
    that one; the dashboard then shows each feed's freshness."""
    db = str(tmp_path / "x.duckdb")
    runner = CliRunner()
    first = runner.invoke(app, ["watch", site.base + "/feed.xml", "--db", db, "--once", "--host-delay", "0"])
    assert first.exit_code == 0, first.output
    assert "round 1: 1 feed(s) polled, 3 new document(s)" in first.output
    with open_store(db, read_only=True) as store:
        assert {d for _h, d in store.snapshot()["documents"]} == {site.base + p for p in PAGES}
        assert {m["doc_id"] for e in store.events(EventFilter(limit=100)) for m in e["mentions"]} == \
            {site.base + p for p in PAGES}

    site.add_feed_item()
    site.clear_log()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{site.base}/feed.xml"\nname = "Ledger <World>"\nevery = "5m"\n\n'
                     f'[[feed]]\nurl = "{site.base}/gone.xml"\n')
    second = runner.invoke(app, ["watch", "--feeds", str(feeds), "--db", db, "--once", "--host-delay", "0"])
    assert second.exit_code == 2, second.output  # gone.xml failed: reported, and the status says so
    assert "round 1: 2 feed(s) polled, 1 new document(s)" in second.output
    assert f"failed {site.base}/gone.xml: HTTP 404 Not Found; tried again next round" in second.output
    assert site.log == [("/feed.xml", 200), ("/dhaka-water.html", 200), ("/gone.xml", 404)]

    with TestClient(create_app(db, token="")) as client:
        page = client.get("/").text
        feeds_json = client.get("/api/feeds").json()["feeds"]
    assert "Followed feeds" in page and "Ledger &lt;World&gt;" in page and "Ledger <World>" not in page
    assert "India and Bangladesh sign a water-sharing agreement" in page and "HTTP 404 Not Found" in page
    by_url = {f["url"]: f for f in feeds_json}
    assert by_url[site.base + "/feed.xml"]["documents"] == 4 and by_url[site.base + "/feed.xml"]["last_poll"]
    assert by_url[site.base + "/gone.xml"]["last_error"] == "HTTP 404 Not Found"


def test_code_and_ingest_read_pages_and_feeds_by_url(tmp_path, site):
    runner = CliRunner()
    coded = runner.invoke(app, ["code", site.base + "/tokyo-protest.html", "--format", "csv"])
    assert coded.exit_code == 0, coded.output
    assert "ACCUSE" in coded.stdout and "JPN" in coded.stdout and "Harbour Ledger" in coded.stdout
    db = str(tmp_path / "i.duckdb")
    ingested = runner.invoke(app, ["ingest", site.base + "/feed.xml", site.base + "/missing.html", "--db", db])
    assert ingested.exit_code == 2
    assert "3 document(s) coded" in ingested.output
    assert f"skipped {site.base}/missing.html: HTTP 404 Not Found" in ingested.output
    with open_store(db, read_only=True) as store:
        assert store.document(site.base + "/nairobi-aid.html")["source"] == "Harbour Ledger World"


def test_sigterm_mid_round_leaves_a_store_the_next_round_completes(tmp_path, site, coder):
    """SIGTERM to `cablegram watch` while a page is being fetched: that page is finished and stored, the rest is
    left pending, and the next round stores exactly the rest, though the feed itself answers 304."""
    site.put("/nairobi-aid.html", site.file("nairobi-aid.html"), delay=2.0)  # the second item, by date
    db = tmp_path / "x.duckdb"
    command = CABLEGRAM + ["watch", site.base + "/feed.xml", "--db", str(db), "--host-delay", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while "/nairobi-aid.html" not in site.arrived and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping after the current item" in err and "stopped early" in err

    with open_store(str(db), read_only=True) as store:
        stored = {d for _h, d in store.snapshot()["documents"]}
        assert stored == {site.base + "/ankara-talks.html", site.base + "/nairobi-aid.html"}
        hashes = {h for h, _d in store.snapshot()["documents"]}
        assert {h for _id, h, _data in store.snapshot()["events"]} <= hashes  # no event without its document
        assert store.count_events(EventFilter(merged=True)) > 0  # merged before stopping
        assert store.feeds()[0]["pending"] == 1

    site.clear_log()
    with open_store(str(db)) as store:
        rerun = watcher(store, coder).run_round([Followed(site.base + "/feed.xml")], 1)
        assert (rerun.not_modified, rerun.new_documents, rerun.failures) == (1, 1, [])
        assert site.log == [("/feed.xml", 304), ("/tokyo-protest.html", 200)]
        assert {d for _h, d in store.snapshot()["documents"]} == {site.base + p for p in PAGES}
        assert store.feeds()[0]["pending"] == 0


def test_watch_refuses_bad_arguments_with_one_line(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "x.duckdb")
    for args, reason in ((["--db", db], "nothing to follow"),
                         (["ftp://example.org/feed.xml", "--db", db], "not an http(s) URL: ftp://"),
                         (["http://127.0.0.1:9/feed.xml", "--every", "often", "--db", db], "not an interval"),
                         (["--feeds", str(tmp_path / "absent.txt"), "--db", db], "cannot read feeds file")):
        res = runner.invoke(app, ["watch", *args])
        assert res.exit_code == 1 and reason in res.output, res.output
    assert not (tmp_path / "x.duckdb").exists()  # refused before the store is touched

