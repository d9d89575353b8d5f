"""Ranked full-text search with stemming, on DuckDB (the store's own term table) and PostgreSQL (its text search)."""

from __future__ import annotations

import duckdb
import pytest

from cablegram.models import Document, Event, Mention, Party
from cablegram.store import EventFilter, open_store
from cablegram.store.fulltext import query_terms, term_counts
from cablegram.store.migrations import LATEST

SENTENCES = {
    "talks": "Diplomats from both countries held talks about trade quotas in Geneva.",
    "embassy": "Russia asked the United States to return the embassy buildings it seized.",
    "embassies": "Both embassies will reopen, and the embassy staff of each will double, officials said.",
    "visas": "The ministry stopped issuing visas to journalists.",
}


def item(key: str, sentence: str) -> tuple[Document, list[Event]]:
    doc = Document(id=f"doc-{key}", text=sentence, source="Test Wire", feed_date="2025-05-01")
    ev = Event(event_type="CONSULT", actor=Party(text="Russia", country="RUS"),
               recipient=Party(text="the United States", country="USA"), date="2025-05-01",
               mentions=[Mention(doc_id=doc.id, sentence=sentence, start=0, end=len(sentence), source="Test Wire")])
    ev.assign_id()
    return doc, [ev]


@pytest.fixture
def store_ids(db) -> dict[str, str]:
    """The sentences stored and consolidated on the backend under test; key -> coded event id."""
    ids = {}
    with open_store(db) as store:
        for key, sentence in SENTENCES.items():
            doc, events = item(key, sentence)
            store.add(doc, events)
            ids[key] = events[0].id
        store.consolidate()
    return ids


def found(db: str, words: str, merged: bool = False) -> list[dict]:
    with open_store(db, read_only=True) as store:
        events = store.events(EventFilter(text=words, merged=merged, limit=100))
        assert store.count_events(EventFilter(text=words, merged=merged)) == len(events)
    return events


def sentences(events: list[dict]) -> set[str]:
    return {e["mentions"][0]["sentence"] for e in events}


@pytest.mark.parametrize("words", ["embassy", "embass", "Embassies", "EMBASSY buildings", "embassy's"])
def test_a_word_finds_every_form_of_it_and_a_cut_word_finds_the_whole(db, store_ids, words):
    expected = {SENTENCES["embassy"]} if "buildings" in words else {SENTENCES["embassy"], SENTENCES["embassies"]}
    assert sentences(found(db, words)) == expected
    assert sentences(found(db, words, merged=True)) == expected


def test_the_best_match_comes_first(db, store_ids):
    assert [e["id"] for e in found(db, "embassy")][0] == store_ids["embassies"]  # two mentions of the word


def test_every_word_must_occur_and_stop_words_are_ignored(db, store_ids):
    assert sentences(found(db, "talk trade")) == {SENTENCES["talks"]}
    assert found(db, "talks visas") == []
    assert sentences(found(db, "the visas")) == {SENTENCES["visas"]}
    assert found(db, "the of and") == [] and found(db, "!!! ???") == []


def test_search_syntax_in_the_query_is_only_text(db, store_ids):
    for hostile in ("embassy:* | visas", "'); DROP TABLE events; --", "embass%", "visa_"):
        assert {e["id"] for e in found(db, hostile)} <= set(store_ids.values())
    assert sentences(found(db, "embassy:* | visas")) == set()  # 'embassy' and 'visas' never share a sentence
    with open_store(db, read_only=True) as store:
        assert store.count_events(EventFilter()) == len(SENTENCES)


def test_both_backends_find_the_same_events(tmp_path, pg_url):
    duck = str(tmp_path / "search.duckdb")
    for db in (duck, pg_url):
        with open_store(db) as store:
            for key, sentence in SENTENCES.items():
                store.add(*item(key, sentence))
            store.consolidate()
    for words in ("embass", "embassy staff", "talks", "trade quota", "journalist", "double"):
        assert sentences(found(duck, words)) == sentences(found(pg_url, words)), words


def test_an_older_database_gets_its_index_when_upgraded(tmp_path):
    path = str(tmp_path / "old.duckdb")
    with open_store(path) as store:
        store.add(*item("embassy", SENTENCES["embassy"]))
        store.consolidate()
    con = duckdb.connect(path)
    con.execute("DROP TABLE search_terms")
    con.execute("DELETE FROM schema_version WHERE version = 5")
    con.close()
    with pytest.raises(Exception, match="schema version 4"):
        open_store(path, read_only=True)
    open_store(path).close()  # a writer migrates, as `cablegram ingest` does
    assert open_store(path, read_only=True).schema_version() == LATEST
    assert sentences(found(path, "embass")) == {SENTENCES["embassy"]}
    assert sentences(found(path, "embass", merged=True)) == {SENTENCES["embassy"]}


def test_terms_are_snowball_stems_without_stop_words():
    assert term_counts("The embassies and the embassy") == {"embassi": 2}
    assert query_terms("talks at the UN") == [("talk", True), ("un", False)]
