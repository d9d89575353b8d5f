"""The store on both backends (DuckDB file and a real PostgreSQL server): writes, queries, migrations."""

from __future__ import annotations

import duckdb
import pytest
from store_data import make_item

from cablegram.models import Event, Mention, Party
from cablegram.store import EventFilter, StoreError, open_store
from cablegram.store.migrations import LATEST


def fill(db: str, n: int = 30) -> None:
    with open_store(db) as store:
        assert store.add_many([make_item(i) for i in range(n)]) == [True] * n


def test_add_is_idempotent(db):
    with open_store(db) as store:
        doc, events = make_item(1)
        assert store.add(doc, events) is True
        assert store.add(doc, events) is False
        assert store.has_document(doc.content_hash)
        stats = store.stats()
    assert (stats["documents"], stats["events"]) == (1, 2)
    with open_store(db) as again:
        assert again.add(*make_item(1)) is False
        assert len(again.snapshot()["mentions"]) == 2


def test_queries(db):
    fill(db)
    with open_store(db, read_only=True) as store:
        everything = store.events(EventFilter(limit=1000))
        assert len(everything) == store.count_events(EventFilter()) == 60
        dates = [e["date"] for e in everything if e["date"]]
        assert dates == sorted(dates, reverse=True)
        assert everything[-1]["date"] is None  # undated last
        rus = store.events(EventFilter(actor="RUS", limit=1000))
        assert rus and all(e["actor"]["country"] == "RUS" for e in rus)
        june = store.events(EventFilter(since="2025-06", until="2025-06", limit=1000))
        assert june and all(e["date"].startswith("2025-06") for e in june)
        tass = store.events(EventFilter(source="tass", limit=1000))
        assert tass and all(m["source"] == "TASS" for e in tass for m in e["mentions"])
        assert store.count_events(EventFilter(text="OFFICIALS OF fra")) > 0
        assert store.count_events(EventFilter(text="'; DROP TABLE events; --")) == 0
        page = store.events(EventFilter(limit=7, offset=7))
        assert page == everything[7:14]
        first = everything[0]
        assert store.event(first["id"]) == first
        assert store.event("ev_missing") is None
        doc = store.document("doc-3")
        assert doc["text"].startswith("Report 3.") and doc["source"] == "TASS"
        assert store.document("nope") is None
        stats = store.stats()
        assert stats["documents"] == 30 and sum(stats["by_type"].values()) == 60
        assert stats["pairs"][0]["events"] >= stats["pairs"][-1]["events"]


def test_failed_write_leaves_nothing(db):
    doc, events = make_item(5)
    broken = Event(event_type="AID", actor=Party(text="x"), recipient=None,
                   mentions=[Mention(doc_id=doc.id, sentence="x", start=0, end=1)], id=None)
    with open_store(db) as store:
        with pytest.raises(Exception):
            store.add(doc, events + [broken])
        assert not store.has_document(doc.content_hash)
        assert store.snapshot() == {"documents": [], "events": [], "mentions": []}
        assert store.add(doc, events) is True


def test_migrations_are_versioned(db):
    with open_store(db) as store:
        assert store.schema_version() == LATEST
        assert store.migrate() == LATEST  # a second run applies nothing
    with open_store(db, read_only=True) as store:
        assert store.schema_version() == LATEST


def test_newer_schema_is_refused(db):
    with open_store(db) as store:
        with store._connect(write=True) as con:
            store._run(con, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, now())",
                       [LATEST + 1, "from the future"])
    with pytest.raises(StoreError, match="newer"):
        open_store(db, read_only=True)
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_read_only_store_refuses_writes(db):
    fill(db, 1)
    with open_store(db, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.add(*make_item(2))


def test_unmigrated_database_is_refused_read_only(tmp_path):
    path = str(tmp_path / "empty.duckdb")
    duckdb.connect(path).close()
    with pytest.raises(StoreError, match="schema version 0"):
        open_store(path, read_only=True)


def test_old_unversioned_file_is_adopted(tmp_path):
    """A file written before migrations existed (tables, no schema_version) is upgraded in place."""
    path = str(tmp_path / "old.duckdb")
    con = duckdb.connect(path)
    con.execute("CREATE TABLE documents (content_hash VARCHAR PRIMARY KEY, id VARCHAR NOT NULL, title VARCHAR, "
                "source VARCHAR, original_source VARCHAR, url VARCHAR, feed_date VARCHAR, dateline_date VARCHAR, "
                "published VARCHAR, origin VARCHAR, text VARCHAR NOT NULL, ingested_at TIMESTAMP)")
    con.execute("INSERT INTO documents (content_hash, id, text) VALUES ('h', 'old-doc', 'kept')")
    con.close()
    with open_store(path) as store:
        assert store.schema_version() == LATEST
        assert store.document("old-doc")["text"] == "kept"


def test_both_backends_hold_the_same_data(tmp_path, pg_url):
    duck = str(tmp_path / "same.duckdb")
    fill(duck)
    fill(pg_url)
    with open_store(duck, read_only=True) as a, open_store(pg_url, read_only=True) as b:
        assert a.snapshot() == b.snapshot()
        for f in (EventFilter(limit=1000), EventFilter(quad="material conflict"), EventFilter(until="2025-03"),
                  EventFilter(source="Reuters", limit=5, offset=2), EventFilter(text="envoys of usa")):
            assert a.events(f) == b.events(f)
            assert a.count_events(f) == b.count_events(f)
        assert a.stats() == b.stats()
        assert a.document("doc-7") == b.document("doc-7")


def test_dyads_and_pair_filter_agree_on_both_backends(tmp_path, pg_url):
    duck = str(tmp_path / "pairs.duckdb")
    fill(duck)
    fill(pg_url)
    with open_store(duck, read_only=True) as a, open_store(pg_url, read_only=True) as b:
        dyads = a.dyads(limit=5)
        assert dyads == b.dyads(limit=5) and len(dyads) == 5
        top = dyads[0]
        between = a.events(EventFilter(pair=(top["a"], top["b"]), limit=1000))
        assert len(between) == top["events"] == top["cooperation"] + top["conflict"]
        assert all({e["actor"]["country"], e["recipient"]["country"]} == {top["a"], top["b"]} for e in between)
        days = a.dyad_days(top["a"], top["b"])
        assert days == b.dyad_days(top["a"], top["b"])
        assert sum(d["events"] for d in days) == sum(1 for e in between if e["date"] and len(e["date"]) == 10)
        drawn_apart = 0
        for pair in a.dyads(limit=20):
            coarse = a.dyad_coarse_events(pair["a"], pair["b"], 1000)
            assert coarse == b.dyad_coarse_events(pair["a"], pair["b"], 1000)
            between = a.events(EventFilter(pair=(pair["a"], pair["b"]), limit=1000))
            assert sorted(c["id"] for c in coarse) == sorted(e["id"] for e in between if not e["date"])
            reports = [(a.document(c["doc_id"])["published"], c["doc_id"]) for c in coarse]
            assert reports == sorted(reports)  # report by report, oldest first
            assert a.dyad_coarse_events(pair["a"], pair["b"], 2) == coarse[:2]
            drawn_apart += len(coarse)
        assert drawn_apart > 0


def test_the_app_serves_the_same_events_from_both_backends(tmp_path, pg_url):
    from fastapi.testclient import TestClient

    from cablegram.web.app import create_app

    duck = str(tmp_path / "served.duckdb")
    fill(duck)
    fill(pg_url)
    answers = []
    for db in (duck, pg_url):
        with TestClient(create_app(db)) as client:
            reply = client.get("/api/events", params={"limit": 500, "per_report": "true"})
            assert reply.status_code == 200
            assert client.get("/").status_code == 200
            answers.append(reply.json()["events"])
    assert answers[0] == answers[1] and len(answers[0]) == 60


def test_an_event_id_repeated_in_a_document_is_stored_once(db):
    doc, events = make_item(9)
    with open_store(db) as store:
        assert store.add(doc, events + events)
        snap = store.snapshot()
    assert sorted(e[0] for e in snap["events"]) == sorted(e.id for e in events)


def test_feed_state_keeps_items_pending_until_stored(db):
    """What `cablegram watch` keeps per feed: validators, items pending until their page is stored, a revised
    item pending again, failures with their reason; the same on both backends."""
    from cablegram.live.remote import FeedItem

    url = "http://127.0.0.1:9/feed.xml"
    items = [FeedItem(f"k{n}", f"http://127.0.0.1:9/{n}.html", f"Item {n}", "2025-03-0{n}", f"v{n}", None)
             for n in (1, 2)]
    with open_store(db) as store:
        assert store.feed_state(url) is None
        assert store.record_poll(url, "Wire", kind="feed", status="2 item(s) listed", title="The Wire",
                                 etag='"a"', last_modified="Mon, 03 Mar 2025 09:30:00 GMT", items=items) == 2
        assert store.record_poll(url, None, kind="feed", status="2 item(s) listed", items=items) == 0
        assert store.feed_state(url) == {"kind": "feed", "title": "The Wire", "etag": None, "last_modified": None}
        assert [p["item_key"] for p in store.pending_items(url)] == ["k1", "k2"]
        store.record_item_done(url, "k1", "hash1", "Item 1", new=True)
        store.record_item_failure(url, "k2", "HTTP 500 Internal Server Error")
        pending = store.pending_items(url)
        assert [(p["item_key"], p["attempts"], p["last_error"]) for p in pending] == [
            ("k2", 1, "HTTP 500 Internal Server Error")]
        revised = FeedItem("k1", items[0].link, "Item 1, updated", "2025-03-01", "v1b", None)
        assert store.record_poll(url, None, kind=None, status="2 item(s) listed", items=[revised, items[1]]) == 1
        [feed] = store.feeds()
    assert (feed["name"], feed["kind"], feed["documents"], feed["pending"], feed["last_new_title"]) == (
        "Wire", "feed", 1, 2, "Item 1")
    assert feed["last_error"] == "HTTP 500 Internal Server Error" and feed["last_poll"] and feed["last_error_at"]


def test_feed_tables_are_added_to_a_store_from_before_them(db):
    """Schema step 7 (followed feeds) applies to a store that has every other step, keeping what it holds; until
    then, reading it is refused though its newest step may be later than 7."""
    fill(db, 2)
    with open_store(db) as store:
        with store._connect(write=True) as con:
            for table in ("followed_items", "followed_feeds"):
                store._run(con, f"DROP TABLE {table}")
            store._run(con, "DELETE FROM schema_version WHERE version = 7")
    with pytest.raises(StoreError, match=r"schema version \d+, this cablegram needs"):  # a step below the newest
        open_store(db, read_only=True)
    with open_store(db) as store:
        assert store.schema_version() == LATEST and store.stats()["documents"] == 2
        assert store.feeds() == []
