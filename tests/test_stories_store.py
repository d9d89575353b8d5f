"""Consolidation in both store backends (DuckDB file, real PostgreSQL): the same stories, events and
explanations from the same documents, and the kept parses and vectors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.store import EventFilter, open_store

DEV = Path(__file__).resolve().parents[1] / "eval" / "merge" / "dev.jsonl"


def test_consolidation_in_each_backend(db):
    result = CliRunner().invoke(app, ["ingest", str(DEV), "--db", db])
    assert result.exit_code == 0, result.output
    with open_store(db, read_only=True) as store:
        stories = store.stories()
        assert {s["num_documents"] for s in stories} and sum(s["num_documents"] for s in stories) == 21
        assert store.count_stories() == len(stories) > 3
        assert store.stories(2, 1) == stories[1:3] and store.stories(offset=len(stories) - 1) == stories[-1:]
        full = [store.story(s["id"]) for s in stories]
        merged = [e for st in full for e in st["events"] if e["num_articles"] > 1]
        assert merged and store.why(merged[0]["id"])["steps"]
        listed = store.events(EventFilter(merged=True, limit=500))
        assert sorted(e["id"] for e in listed) == sorted(e["id"] for st in full for e in st["events"])
        assert store.count_events(EventFilter(merged=True)) == len(listed) < store.count_events(EventFilter())
        outlet = merged[0]["mentions"][-1]["source"]
        by_outlet = store.events(EventFilter(merged=True, source=outlet, pair=(merged[0]["actor"]["country"],
                                                                              merged[0]["recipient"]["country"])))
        assert merged[0] in by_outlet and all(any(m["source"] == outlet for m in e["mentions"]) for e in by_outlet)
        cache = store.wording_cache()
        assert cache.clauses and all(v.shape == (384,) for v in cache.vectors.values())
    again = CliRunner().invoke(app, ["ingest", str(DEV), "--db", db])
    assert again.exit_code == 0
    with open_store(db, read_only=True) as store:
        assert [store.story(s["id"]) for s in store.stories()] == full


def test_a_batch_grows_the_blocks_it_touches_in_each_backend(db, tmp_path: Path):
    lines = DEV.read_text(encoding="utf-8").splitlines(keepends=True)
    halves = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    halves[0].write_text("".join(lines[::2]), encoding="utf-8")
    halves[1].write_text("".join(lines[1::2]), encoding="utf-8")
    for part in halves:
        result = CliRunner().invoke(app, ["ingest", str(part), "--db", db])
        assert result.exit_code == 0, result.output
    with open_store(db) as store:
        grown = sorted(store.events(EventFilter(merged=True, limit=500)), key=lambda e: e["id"])
        stories = [store.story(s["id"]) for s in store.stories()]
        assert any(e["num_articles"] > 1 and len({m["doc_id"] for m in e["mentions"]} & _ids(halves[1])) for e in grown)
        store.consolidate(full=True)
        assert sorted(store.events(EventFilter(merged=True, limit=500)), key=lambda e: e["id"]) == grown
        assert [store.story(s["id"]) for s in store.stories()] == stories


def _ids(path: Path) -> set[str]:
    import json

    return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line}
