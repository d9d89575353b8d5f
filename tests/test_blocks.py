"""Merging block by block: the block key, the same merged events and stories as comparing everything at
once (demo corpus, seed reports, merge dev and test sets), and a store that merges again only what a new
batch touched and leaves every unrelated merged event and story as it was."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cablegram.consolidate import consolidate, merge_events
from cablegram.consolidate.blocks import anchor, block_keys
from cablegram.consolidate.stories import STORY_GAP_DAYS, STORY_SIMILARITY, _day, group_summaries
from cablegram.models import Event, Mention, Party
from cablegram.pipeline import RunReport, code_paths, ingest_paths
from cablegram.store import open_store
from cablegram.store.base import EventFilter

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SETS = {"demo": [ROOT / "corpus" / "sample", *sorted(SEEDS.glob("*.txt"))],
        "merge dev": [ROOT / "eval" / "merge" / "dev.jsonl"], "merge test": [ROOT / "eval" / "merge" / "test.jsonl"]}


@pytest.fixture(scope="module")
def coder():
    from cablegram.coding.coder import Coder
    return Coder()


def _event(eid, actor, recipient, date=None, published="2025-03-10", doc="d1", kind="CONSULT"):
    return Event(kind, Party(actor, actor), Party(recipient, recipient) if recipient else None, date=date,
                 date_text="on Monday" if date else None, id=eid,
                 mentions=[Mention(doc, f"{actor} and {recipient} met.", 0, 10, published=published)])


def test_block_key_is_the_unordered_pair_the_anchor_month_and_the_kind():
    swapped = [_event("a", "USA", "RUS", "2025-03-03"), _event("b", "RUS", "USA", "2025-03-28", doc="d2")]
    assert block_keys(swapped)[0] == block_keys(swapped)[1] == json.dumps(["RUS", "USA", "2025-03", "occurred:CONSULT"])
    kinds = [_event("c", "USA", "RUS", kind="SUPPORT"), _event("d", "USA", "RUS", kind="AGREE", doc="d2"),
             _event("e", "USA", "RUS", kind="COERCE", doc="d3")]
    assert [json.loads(k)[3] for k in block_keys(kinds)] == ["occurred:AGREE~CONCEDE~SUPPORT"] * 2 + \
        ["occurred:COERCE~SANCTION"]
    assert anchor(_event("c", "USA", "RUS", "2025-02")) == "2025-02-28"  # the last day it can have happened
    assert anchor(_event("d", "USA", "RUS", "2024")) == "2025-03-10"  # a year says less than the report's date
    assert anchor(_event("e", "USA", "RUS", None, published=None)) is None


def test_an_event_without_recipient_joins_its_reports_commonest_pair_with_its_actor():
    report = [_event("a", "IND", "PAK"), _event("b", "IND", "PAK"), _event("c", "IND", "USA"),
              _event("d", "IND", None)]
    assert json.loads(block_keys(report)[3])[:2] == ["IND", "PAK"]
    alone = [_event("e", "IND", None, doc="d2")]
    assert json.loads(block_keys(alone)[0])[:2] == ["IND", ""]


def test_a_timeless_event_takes_its_reports_latest_anchor():
    report = [_event("a", "USA", "RUS", "2025-04-10", published=None), _event("b", "USA", "RUS", None, published=None)]
    assert json.loads(block_keys(report)[1])[2] == "2025-04"
    assert json.loads(block_keys([_event("c", "USA", "RUS", None, published=None)])[0])[2] == ""


def _all_pairs_groups(summaries, shared):
    """Stories as documents linked pair by pair over every two documents (what blocking must reproduce)."""
    parent = {d: d for d in summaries}

    def find(d):
        while parent[d] != d:
            d = parent[d]
        return d
    together = {(a, b) for docs in shared for a in docs for b in docs}
    docs = sorted(summaries)
    for x, a in enumerate(docs):
        for b in docs[x + 1:]:
            sa, sb = summaries[a], summaries[b]
            if not sa.dyads & sb.dyads:
                continue
            da, db = _day(sa.published), _day(sb.published)
            close = da is None or db is None or abs((da - db).days) <= STORY_GAP_DAYS
            if (a, b) in together or (close and float(sa.vector @ sb.vector) >= STORY_SIMILARITY):
                parent[find(a)] = find(b)
    groups = {}
    for d in docs:
        groups.setdefault(find(d), []).append(d)
    return sorted(sorted(g) for g in groups.values())


@pytest.mark.parametrize("name", sorted(SETS))
def test_blocked_merge_equals_comparing_every_pair(coder, name):
    from cablegram.consolidate.blocked import merge_blocked
    from cablegram.consolidate.stories import summarise_documents

    report = RunReport()
    events = [e for _d, evs in code_paths([str(p) for p in SETS[name] if p.exists()], coder, report) for e in evs]
    assert events and not report.skipped
    everything = merge_events(copy.deepcopy(events))
    blocked = consolidate(copy.deepcopy(events))
    assert blocked.members == everything.members
    def plain(evs):  # stories come after merging: compare the merged events without their story
        return sorted(({k: v for k, v in e.to_dict().items() if k != "story_id"} for e in evs), key=lambda e: e["id"])
    assert plain(blocked.events) == plain(everything.events)
    merged, raw, vectors = merge_blocked(copy.deepcopy(events))
    published = {m.doc_id: m.published for ev in raw for m in ev.mentions}
    summaries = summarise_documents(raw, vectors, published)
    shared = [[m.doc_id for m in ev.mentions] for ev in merged.events]
    grouped = sorted(sorted(g) for g in group_summaries(summaries, shared))
    assert grouped == _all_pairs_groups(summaries, shared)
    assert sorted(sorted(d["id"] for d in st["documents"]) for st in blocked.stories) == grouped


UNRELATED = {"id": "kenya-uganda", "title": "Kenya and Uganda sign a rail deal", "date": "2025-03-04",
             "source": "Lakeside Courier",
             "text": "NAIROBI, March 4 (Lakeside Courier) - Kenya and Uganda signed an agreement on Tuesday to "
                     "build a railway line between Nairobi and Kampala, the two governments said."}


def _snapshot(store):
    events = {e["id"]: e for e in store.events(EventFilter(merged=True, limit=100_000))}
    stories = {s["id"]: store.story(s["id"]) for s in store.stories()}
    return events, stories


def test_a_new_batch_merges_only_its_blocks_and_leaves_the_rest_as_it_was(coder, db, tmp_path: Path):
    with open_store(str(db)) as store:
        ingest_paths([str(ROOT / "eval" / "merge" / "dev.jsonl")], coder, store, RunReport())
        store.consolidate()
        before_events, before_stories = _snapshot(store)
        assert any(e["num_articles"] > 1 for e in before_events.values())
        batch = tmp_path / "batch.jsonl"
        batch.write_text(json.dumps(UNRELATED) + "\n", encoding="utf-8")
        ingest_paths([str(batch)], coder, store, RunReport())
        dirty = store.dirty_blocks()
        assert dirty and all(json.loads(b)[:2] == ["KEN", "UGA"] for b in dirty)
        read, document_rows = [], store.document_rows
        store.document_rows = lambda ids: (read.append(row[0]) or row for row in document_rows(ids))
        store.consolidate()
        del store.document_rows
        assert set(read) == {"kenya-uganda"}  # stories regrouped from saved summaries, not every coded event
        assert store.dirty_blocks() == []
        after_events, after_stories = _snapshot(store)
        assert {i: e for i, e in after_events.items() if i in before_events} == before_events
        assert {i: s for i, s in after_stories.items() if i in before_stories} == before_stories
        new = [s for i, s in after_stories.items() if i not in before_stories]
        assert [d["id"] for s in new for d in s["documents"]] == ["kenya-uganda"]
        store.consolidate(full=True)
        assert _snapshot(store) == (after_events, after_stories)


def test_a_saved_summary_is_the_one_computed_from_the_events(coder, db, monkeypatch):
    import numpy as np

    from cablegram.consolidate import incremental
    from cablegram.consolidate.incremental import _summaries
    from cablegram.consolidate.stories import summarise_documents

    with open_store(str(db)) as store:
        ingest_paths([str(ROOT / "eval" / "merge" / "dev.jsonl")], coder, store, RunReport())
        store.consolidate()
        saved = _summaries(store)
        store.forget_summaries()
        rows = list(store.document_rows(store.unsummarised_documents()))
        monkeypatch.setattr(incremental, "SUMMARY_DOCUMENTS", 3)  # computed and saved 3 documents at a time
        again = _summaries(store)
    computed = {}
    for doc in {r[0] for r in rows}:
        ours = [r for r in rows if r[0] == doc]
        computed.update(summarise_documents([Event.from_dict(json.loads(r[2])) for r in ours],
                                            np.stack([r[3] for r in ours]), {doc: ours[0][1]}))
    def plain(summaries):
        return {d: (s.dyads, s.vector.dtype, s.vector.tobytes(), s.published, s.lead) for d, s in summaries.items()}
    assert len(saved) > 10 and plain(saved) == plain(computed) == plain(again)


def test_incremental_ingest_equals_one_ingest_of_everything(coder, tmp_path: Path):
    rows = [json.loads(line) for line in (ROOT / "eval" / "merge" / "dev.jsonl").read_text().splitlines() if line]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in rows[::2]), encoding="utf-8")
    second.write_text("".join(json.dumps(r) + "\n" for r in rows[1::2]), encoding="utf-8")
    with open_store(str(tmp_path / "steps.duckdb")) as store:
        for part in (first, second):
            ingest_paths([str(part)], coder, store, RunReport())
            store.consolidate()
        stepwise = _snapshot(store)
    with open_store(str(tmp_path / "once.duckdb")) as store:
        ingest_paths([str(first), str(second)], coder, store, RunReport())
        store.consolidate()
        assert _snapshot(store) == stepwise


def test_a_database_missing_an_earlier_schema_step_is_not_taken_for_up_to_date():
    from cablegram.store.migrations import LATEST, MIGRATIONS, reached

    every = {m.version for m in MIGRATIONS}
    assert reached(every) == LATEST
    assert reached(every - {5}) == 4  # steps need not be consecutive (8 may come before 6 and 7)
    assert reached(every | {LATEST + 1}) == LATEST + 1


def test_a_new_report_grows_only_the_kinds_it_brings_to_its_months(coder, tmp_path: Path):
    from cablegram.bench_corpus import diplomatic_articles

    docs = list(diplomatic_articles(31, seed=3, days=(0, 10)))
    us_russia = [d for d in docs if "Russia" in d.text and "United States" in d.text]
    for name, part in (("corpus", [d for d in docs if d is not us_russia[-1]]), ("batch", us_russia[-1:])):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(
            {"id": d.id, "title": d.title, "date": d.feed_date, "source": d.source, "text": d.text}) + "\n"
            for d in part), encoding="utf-8")
    with open_store(str(tmp_path / "store.duckdb")) as store:
        ingest_paths([str(tmp_path / "corpus.jsonl")], coder, store, RunReport())
        store.consolidate()
        ingest_paths([str(tmp_path / "batch.jsonl")], coder, store, RunReport())
        dirty = store.dirty_blocks()
        read, growth, merged_again = [], store.growth, []
        store.growth = lambda keys: read.append(growth(keys)) or read[-1]
        store.blocks_events = lambda keys: merged_again.append(keys)
        store.consolidate()
        del store.growth, store.blocks_events
        assert {k for blocks in read for k in blocks} == set(dirty) and not merged_again
        new = [ev for blocks in read for evs, _members, _vectors in blocks.values() for ev in evs]
        assert new and {m.doc_id for ev in new for m in ev.mentions} == {us_russia[-1].id}
        stepwise = _snapshot(store)
        store.consolidate(full=True)
        assert _snapshot(store) == stepwise


def test_a_pair_with_timeless_events_is_merged_a_batch_of_months_at_a_time_as_in_memory(coder, tmp_path: Path,
                                                                                          monkeypatch):
    from cablegram.consolidate import incremental

    monkeypatch.setattr(incremental, "BATCH_EVENTS", 5)  # every month of the pair a batch of its own
    paths = [str(p) for p in SETS["demo"] if p.exists()]
    events = [e for _d, evs in code_paths(paths, coder, RunReport()) for e in evs]
    assert any(json.loads(k)[2] == "" for k in block_keys(events)), "the seed reports have timeless events"
    expected = consolidate(sorted(copy.deepcopy(events), key=lambda e: e.id))  # the store's order: steps alike
    with open_store(str(tmp_path / "store.duckdb")) as store:
        for part in (paths[::2], paths[1::2]):  # the second half re-merges months the first merged
            ingest_paths(part, coder, store, RunReport())
            store.consolidate()
        merged = store.merged_events_by_id(list(expected.members))
    import duckdb

    with duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True) as con:
        members = dict(con.execute("SELECT event_id, merged_id FROM merged_members").fetchall())
    assert members == {i: m for m, ids in expected.members.items() for i in ids}
    def plain(evs):
        return sorted(({k: v for k, v in e.to_dict().items() if k != "story_id"} for e in evs), key=lambda e: e["id"])
    assert plain(merged) == plain(expected.events)


def test_a_story_larger_than_a_batch_is_read_a_chunk_at_a_time_and_built_the_same(coder, tmp_path: Path,
                                                                                   monkeypatch):
    from cablegram.consolidate import incremental

    paths = [str(p) for p in SETS["demo"] if p.exists()]
    with open_store(str(tmp_path / "held.duckdb")) as store:
        ingest_paths(paths, coder, store, RunReport())
        store.consolidate()
        held = _snapshot(store)
    assert max(len(s["events"]) for s in held[1].values()) > 10
    monkeypatch.setattr(incremental, "BATCH_EVENTS", 5)  # every story of more than 5 events read 5 at a time
    chunks, read = [], incremental._events_in_order
    monkeypatch.setattr(incremental, "_events_in_order", lambda store, ids: chunks.append(len(ids)) or read(store, ids))
    with open_store(str(tmp_path / "chunked.duckdb")) as store:
        ingest_paths(paths, coder, store, RunReport())
        store.consolidate()
        assert _snapshot(store) == held
    assert chunks and max(chunks) == 5


def test_a_stored_story_keeps_no_copy_of_its_events_also_after_an_upgrade(coder, tmp_path: Path):
    import duckdb

    path = str(tmp_path / "store.duckdb")
    with open_store(path) as store:
        ingest_paths([str(ROOT / "eval" / "merge" / "dev.jsonl")], coder, store, RunReport())
        store.consolidate()
        stories = {s["id"]: store.story(s["id"]) for s in store.stories()}
    con = duckdb.connect(path)
    assert all("events" not in json.loads(data) for (data,) in con.execute("SELECT data FROM stories").fetchall())
    for sid, st in stories.items():  # as step 10 stored them: the events inside the story
        con.execute("UPDATE stories SET data = ? WHERE id = ?", [json.dumps(st, ensure_ascii=False), sid])
    con.execute("DELETE FROM schema_version WHERE version = 11")
    con.close()
    open_store(path).close()  # a writer migrates, as `cablegram ingest` does
    con = duckdb.connect(path, read_only=True)
    assert all("events" not in json.loads(data) for (data,) in con.execute("SELECT data FROM stories").fetchall())
    con.close()
    with open_store(path, read_only=True) as store:
        assert {s["id"]: store.story(s["id"]) for s in store.stories()} == stories
        assert json.dumps(list(stories.values())) == json.dumps([store.story(s) for s in stories])  # key order too


def test_a_stored_storys_disagreements_are_kept_in_pages_also_after_an_upgrade(coder, tmp_path: Path, monkeypatch):
    import duckdb

    from cablegram.store import stories_sql

    from cablegram.bench_corpus import diplomatic_articles

    monkeypatch.setattr(stories_sql, "PAGE", 2)
    corpus, path = tmp_path / "pair.jsonl", str(tmp_path / "store.duckdb")
    docs = diplomatic_articles(31, seed=3, days=(0, 10))
    corpus.write_text("".join(json.dumps({"id": d.id, "title": d.title, "date": d.feed_date, "source": d.source,
                                          "text": d.text}) + "\n" for d in docs), encoding="utf-8")
    with open_store(path) as store:
        ingest_paths([str(corpus)], coder, store, RunReport())
        store.consolidate()
        stories = {s["id"]: store.story(s["id"]) for s in store.stories()}
    counts = {sid: len(st["comparison"]["disagreements"]) for sid, st in stories.items()}
    assert max(counts.values()) > 2
    con = duckdb.connect(path)
    pages = dict(con.execute("SELECT story_id, count(*) FROM story_disagreements GROUP BY 1").fetchall())
    assert pages == {sid: (n + 1) // 2 for sid, n in counts.items() if n}
    for sid, st in stories.items():  # as step 11 stored them: the disagreements inside the story
        inline = {k: v for k, v in st.items() if k != "events"}
        con.execute("UPDATE stories SET data = ? WHERE id = ?", [json.dumps(inline, ensure_ascii=False), sid])
    con.execute("DELETE FROM story_disagreements")
    con.execute("DELETE FROM schema_version WHERE version = 12")
    con.close()
    open_store(path).close()  # a writer migrates, as `cablegram ingest` does
    con = duckdb.connect(path, read_only=True)
    assert all(not json.loads(data)["comparison"]["disagreements"]
               for (data,) in con.execute("SELECT data FROM stories").fetchall())
    assert dict(con.execute("SELECT story_id, count(*) FROM story_disagreements GROUP BY 1").fetchall()) == pages
    con.close()
    with open_store(path, read_only=True) as store:
        assert json.dumps(list(stories.values())) == json.dumps([store.story(s) for s in stories])  # key order too
