"""Consolidation end to end with the real coder, embedder and a real DuckDB file: the two seed reports,
the merge corpora in eval/merge, stories with issues and source comparison, and the CLI commands."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.consolidate import consolidate, merge_events
from cablegram.consolidate.compare import compare_sources
from cablegram.consolidate.evaluate import load_merge_gold, load_story_gold, score_merge, score_stories
from cablegram.models import Event, Mention, Party
from cablegram.pipeline import RunReport, code_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = [SEEDS / "000_12bea52b7192c135.txt", SEEDS / "001_6ff8132b9805c69b.txt"]
MERGE = ROOT / "eval" / "merge"
SCHEMA = json.loads((ROOT / "docs" / "event.schema.json").read_text())


@pytest.fixture(scope="module")
def coder():
    from cablegram.coding.coder import Coder
    return Coder()


def code(coder, paths) -> list[Event]:
    report = RunReport()
    events = [e for _d, evs in code_paths([str(p) for p in paths], coder, report) for e in evs]
    assert not report.skipped
    return events


@pytest.fixture(scope="module")
def seed_events(coder):
    if not all(p.is_file() for p in SEED_FILES):
        pytest.skip(f"seed reports not found in {SEEDS} (../shared is absent)")
    return code(coder, SEED_FILES)


# What each seed fact is about, and the types an outlet may code it as (eval/README.md, type decisions).
SEED_FACTS = {
    "consultations": (re.compile(r"consultation|talks", re.I), {"CONSULT"}),
    "banking agreement": (re.compile(r"bank", re.I), {"AGREE", "SUPPORT"}),
    "property dispute": (re.compile(r"propert", re.I), {"COERCE"}),
    "travel and visa easing": (re.compile(r"travel|visa", re.I), {"AGREE", "CONCEDE"}),
}


@pytest.mark.parametrize("fact", sorted(SEED_FACTS))
def test_seed_fact_is_one_event_with_mentions_from_both_reports(seed_events, fact):
    words, types = SEED_FACTS[fact]
    docs = [p.stem for p in SEED_FILES]
    found = {d: [e for e in seed_events if e.event_type in types
                 and any(m.doc_id == d and words.search(m.sentence) for m in e.mentions)] for d in docs}
    missing = [d for d in docs if not found[d]]
    if missing:
        pytest.skip(f"the coder finds no {fact} event ({'/'.join(sorted(types))}) in {', '.join(missing)} yet")
    merged = merge_events(seed_events).events
    both = [e for e in merged if e.event_type in types and {m.doc_id for m in e.mentions} >= set(docs)
            and all(any(m.doc_id == d and words.search(m.sentence) for m in e.mentions) for d in docs)]
    assert len(both) == 1, f"{fact}: expected one merged event reported by both documents"
    assert both[0].num_articles == 2 and both[0].num_sources == 2 and both[0].merge


def test_seed_rounds_on_different_days_stay_apart(seed_events):
    rounds = {e.date for e in seed_events if e.event_type == "CONSULT" and e.date_text}
    if len(rounds) < 2:
        pytest.skip("the coder does not date two consultation rounds yet")
    merged = merge_events(seed_events).events
    dated = sorted(e.date for e in merged if e.event_type == "CONSULT" and e.date in rounds)
    assert dated == sorted(rounds)


def test_seed_reports_are_one_story_with_issues_from_their_text(seed_events):
    result = consolidate(seed_events)
    assert len(result.stories) == 1
    story = result.stories[0]
    assert story["title"].startswith("Russia – United States") and story["num_documents"] == 2
    assert story["comparison"]["outlets"] == ["RT", "TASS"] and story["comparison"]["shared"]
    labels = " ".join(p for issue in story["issues"] for p in issue["phrases"])
    assert "property" in labels and "banking" in labels


def test_merged_output_follows_the_schema(seed_events):
    for e in merge_events(seed_events).events:
        jsonschema.validate(e.to_dict(), SCHEMA)


@pytest.fixture(scope="module")
def dev_events(coder):
    return code(coder, [MERGE / "dev.jsonl"])


def test_merge_on_the_dev_corpus_is_precise(dev_events):
    """The corpus the thresholds were chosen on (held-out figures: docs/consolidation.md)."""
    gold = load_merge_gold(MERGE / "dev_gold.json")
    merged = score_merge(merge_events(dev_events).events, gold)
    apart = score_merge(dev_events, gold)
    assert merged.merged_pairs >= 1 and merged.precision == 1.0
    assert apart.merged_pairs == 0 and merged.recall > apart.recall


def test_an_eased_rule_and_the_agreement_to_ease_it_are_one_event_other_objects_stay_apart(dev_events):
    """Dev pairs 'agreed to ease R' / 'has eased R' join through the object R; a different object eased by
    the same country the same week (apricot imports, fishing, poultry imports) stays apart."""
    merged = merge_events(dev_events).events

    def docs_of(doc, words, types=("AGREE", "CONCEDE")):
        hits = [e for e in merged if e.event_type in types
                and any(m.doc_id == doc and words in m.sentence for m in e.mentions)]
        assert len(hits) == 1, (doc, words)
        return {m.doc_id for m in hits[0].mentions}

    assert docs_of("d13", "ease visa restrictions") == {"d13", "d14"}
    assert docs_of("d15", "import ban") == {"d15"}
    assert docs_of("d16", "rail freight restrictions") == {"d16", "d17"}
    assert docs_of("d18", "fishing restrictions") == {"d18"}
    assert docs_of("d19", "ease border crossing restrictions") == {"d19", "d20"}  # clauses only 0.52 alike
    assert docs_of("d21", "import ban") == {"d21"}


@pytest.mark.parametrize("sentence, trigger, present, absent", [
    ("Both sides agreed to ease travel restrictions.", "agreed", {"travel"}, set()),
    ("Ankara lifted its import ban on dried fruit.", "lifted", {"import", "dried fruit"}, set()),
    ("The council imposed economic sanctions over the pipeline.", "imposed", {"pipeline"}, {"economic"}),
    ("The two ministers held peace talks in Oslo.", "held", {"peace"}, {"talk"}),
    ("The air strikes hit three border villages.", "strikes", {"border village"}, {"air"}),
    ("The navy's patrol force seized two fishing boats.", "seized", {"fishing boat"}, {"patrol"}),
])
def test_an_event_noun_yields_the_object_its_modifier_names(sentence, trigger, present, absent):
    """Unless the event noun is the event's own word (its modifier says how it was done) or the subject."""
    from cablegram.consolidate.phrases import mention_texts
    _clause, phrases = mention_texts([(sentence, trigger)])[(sentence, trigger)]
    assert present <= set(phrases) and not absent & set(phrases), phrases


def test_gold_file_errors_name_the_entry(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text(json.dumps([{"event": "x", "mentions": [{"doc_id": "d1"}]}]))
    with pytest.raises(ValueError, match="entry 0"):
        load_merge_gold(bad)
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not a JSON file"):
        load_merge_gold(bad)
    result = CliRunner().invoke(app, ["evaluate-merge", str(MERGE / "dev.jsonl"), "--gold", str(bad)])
    assert result.exit_code == 1 and "not a JSON file" in result.output


def test_stories_issues_and_timeline_from_text(dev_events):
    result = consolidate(dev_events)
    by_parties = {tuple(sorted(s["parties"][:2])): s for s in result.stories}
    assert ("IDN", "VNM") in by_parties and ("EST", "RUS") in by_parties
    sea = by_parties[("IDN", "VNM")]
    assert {d["id"] for d in sea["documents"]} == {"d01", "d02", "d03"}
    assert all(e["story_id"] == sea["id"] for e in sea["events"])
    fishermen = [i for i in sea["issues"] if any("fisherm" in p for p in i["phrases"])]
    assert fishermen, f"no fishermen issue among {[i['label'] for i in sea['issues']]}"
    states = {step["state"] for step in fishermen[0]["timeline"]}
    assert {"demanded", "agreed", "implemented"} <= states
    assert sea["comparison"]["outlets"] == ["Harbor Signal", "Lakeside Courier", "Pinecrest Times"]


# Two reports of one round of talks whose headlines and leads frame it as "frictions"; the word recurs in
# talks, a demand and a criticism, while the acts change concrete things (the mountain pass, the glaciers).
FRAMED = [
    {"id": "f1", "title": "Chile and Argentina hold talks on border frictions", "date": "2025-03-04",
     "source": "Lakeside Courier",
     "text": "SANTIAGO, March 4 (Lakeside Courier) - Chilean and Argentine officials met in Santiago on Monday for "
             "talks on the frictions between the two neighbours.\n\nArgentina agreed to reopen the Cristo Redentor "
             "pass to Chilean cargo trucks.\n\nChile urged Argentina to settle the remaining frictions over glacier "
             "water rights.\n\nArgentina protested against a Chilean navy patrol near the Beagle Channel last "
             "week.\n\nThe ministers will meet again in Buenos Aires in May."},
    {"id": "f2", "title": "Andean neighbours try to ease frictions", "date": "2025-03-05", "source": "Pinecrest Times",
     "text": "Chile and Argentina held talks in Santiago on Monday to address frictions in their relations.\n\n"
             "Buenos Aires promised to let Chilean cargo trucks use the Cristo Redentor pass again.\n\nChile also "
             "criticised Argentina for the frictions caused by new fishing rules.\n\nArgentina rejected a Chilean "
             "request for a joint survey of the glaciers.\n\nThe two governments signed a memorandum on "
             "cross-border electricity trade."},
]


def test_a_phrase_framing_the_whole_story_is_no_issue(coder, tmp_path):
    from cablegram.consolidate.issues import find_issues

    path = tmp_path / "framed.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in FRAMED))
    report = RunReport()
    coded = list(code_paths([str(path)], coder, report))
    meta = {d.id: {"title": d.title, "source": d.source, "published": d.published} for d, _ in coded}
    [story] = consolidate([e for _d, evs in coded for e in evs], meta).stories
    phrases = [p for issue in story["issues"] for p in issue["phrases"]]
    assert "cargo truck" in phrases and any("glacier" in p for p in phrases)
    assert not any("friction" in p for p in phrases), phrases
    unframed = find_issues([Event.from_dict(e) for e in story["events"]])  # no headlines or leads given
    assert any("friction" in p for issue in unframed for p in issue["phrases"])


def test_phrase_clusters_are_those_of_scikit_learns_average_linkage():
    import random

    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    from cablegram.consolidate.issues import PHRASE_SIMILARITY, _cluster

    class Vectors:  # stands for the cache: each phrase near one of a few centres
        def encode(self, phrases):
            return np.stack([vectors[p] for p in phrases])

    def groups(labels):
        out = {}
        for p, x in labels.items():
            out.setdefault(x, []).append(p)
        return sorted(sorted(g) for g in out.values())

    rng, pick = np.random.default_rng(0), random.Random(0)
    words = "diplomatic property arms control treaty grain deal visa embassy staff talks".split()
    for _ in range(20):
        phrases = list(dict.fromkeys(" ".join(pick.choice(words) for _ in range(pick.randint(1, 3)))
                                     for _ in range(pick.randint(2, 120))))
        centres = rng.normal(size=(6, 384)).astype(np.float32)
        vectors = {p: centres[i % 6] + rng.normal(scale=pick.choice([0.3, 0.8, 1.5]), size=384).astype(np.float32)
                   for i, p in enumerate(phrases)}
        vectors = {p: v / np.linalg.norm(v) for p, v in vectors.items()}
        sims = Vectors().encode(phrases) @ Vectors().encode(phrases).T
        for i, a in enumerate(phrases):  # a phrase that ends another counts as identical, as _cluster has it
            for j, b in enumerate(phrases):
                short, long_ = sorted((a.split(), b.split()), key=len)
                if long_[-len(short):] == short:
                    sims[i, j] = 1.0
        model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                        distance_threshold=1 - PHRASE_SIMILARITY)
        expected = dict(zip(phrases, model.fit_predict(np.clip(1 - sims, 0, 2))))
        assert groups(_cluster(phrases, Vectors())) == groups(expected)


def mention(doc, source, sentence, hedged=False):
    return Mention(doc_id=doc, sentence=sentence, start=0, end=len(sentence), source=source, hedged=hedged)


def test_source_comparison_shared_only_numbers_and_hedges():
    both = Event("SANCTION", Party("Poland", "POL"), Party("Belarus", "BLR"), id="ev_a", mentions=[
        mention("d1", "A", "Poland expelled two Belarusian diplomats."),
        mention("d2", "B", "Poland reportedly expelled three Belarusian diplomats.", hedged=True)])
    one = Event("ACCUSE", Party("Belarus", "BLR"), Party("Poland", "POL"), id="ev_b",
                mentions=[mention("d1", "A", "Minsk condemned the move.")])
    cmp = compare_sources([both, one], [], {"ev_a": "ev_a", "ev_b": "ev_b"})
    assert cmp["outlets"] == ["A", "B"]
    assert [b["event_id"] for b in cmp["shared"]] == ["ev_a"]
    assert {k: [b["event_id"] for b in v] for k, v in cmp["only"].items()} == {"A": ["ev_b"]}
    assert cmp["disagreements"][0]["kind"] == "number" and "2 diplomats (A)" in cmp["disagreements"][0]["detail"]
    assert cmp["hedged"][0]["hedged_by"] == ["B"] and cmp["hedged"][0]["stated_by"] == ["A"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "c.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(MERGE / "test.jsonl"), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_store_keeps_stories_and_explanations(db):
    from cablegram.store import open_store

    with open_store(str(db), read_only=True) as store:
        stories = store.stories()
        assert stories and set(stories[0]) == {"id", "title", "parties", "first_date", "last_date",
                                               "num_events", "num_documents"}
        assert sum(s["num_documents"] for s in stories) == 12
        full = store.story(stories[0]["id"])
        assert {"events", "issues", "comparison", "documents"} <= set(full)
        assert store.story("st_nothing") is None
        merged = [e for s in stories for e in store.story(s["id"])["events"] if e["num_articles"] > 1]
        assert merged
        info = store.why(merged[0]["id"])
        assert info["steps"] and len(info["members"]) == merged[0]["num_articles"]
        member = next(m for m in info["members"] if m != merged[0]["id"])
        assert store.why(member)["event"]["id"] == merged[0]["id"]
        assert store.why("ev_nothing") is None


def test_ingesting_again_changes_nothing(db):
    runner = CliRunner()
    before = runner.invoke(app, ["stories", "--db", str(db), "--format", "json"]).output
    again = runner.invoke(app, ["ingest", str(MERGE / "test.jsonl"), "--db", str(db)])
    assert again.exit_code == 0
    assert runner.invoke(app, ["stories", "--db", str(db), "--format", "json"]).output == before


def test_cli_consolidate_recomputes_the_same_stories(db):
    runner = CliRunner()
    before = runner.invoke(app, ["stories", "--db", str(db), "-f", "json"]).output
    result = runner.invoke(app, ["consolidate", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["stories", "--db", str(db), "-f", "json"]).output == before
    assert runner.invoke(app, ["consolidate", "--db", str(db.parent / "missing.duckdb")]).exit_code == 1


def test_cli_story_why_and_errors(db):
    runner = CliRunner()
    stories = json.loads(runner.invoke(app, ["stories", "--db", str(db), "-f", "json"]).output)
    table = runner.invoke(app, ["stories", "--db", str(db)])
    assert table.exit_code == 0 and stories[0]["id"] in table.output
    sid = stories[0]["id"]
    view = runner.invoke(app, ["story", sid, "--db", str(db)])
    assert view.exit_code == 0 and "source comparison" in view.output
    full = json.loads(runner.invoke(app, ["story", sid, "--db", str(db), "-f", "json"]).output)
    assert full["id"] == sid
    ev = full["events"][0]["id"]
    why = runner.invoke(app, ["why", ev, "--db", str(db)])
    assert why.exit_code == 0 and ev in why.output
    joined = next(e["id"] for s in stories for e in json.loads(
        runner.invoke(app, ["story", s["id"], "--db", str(db), "-f", "json"]).output)["events"] if e["num_articles"] > 1)
    why = runner.invoke(app, ["why", joined, "--db", str(db)])
    assert why.exit_code == 0 and "enough because:" in why.output and "wording similarity" in why.output
    assert runner.invoke(app, ["story", "st_nothing", "--db", str(db)]).exit_code == 1
    assert runner.invoke(app, ["why", "ev_nothing", "--db", str(db)]).exit_code == 1
    assert runner.invoke(app, ["stories", "--db", str(db.parent / "missing.duckdb")]).exit_code == 1


def test_cli_events_lists_merged_events_unless_asked_per_report(db):
    runner = CliRunner()

    def listed(*args):
        result = runner.invoke(app, ["events", "--db", str(db), "-f", "jsonl", *args])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines()]

    merged, coded = listed(), listed("--per-report")
    assert len(merged) < len(coded)
    assert sorted((m["doc_id"], m["start"]) for e in merged for m in e["mentions"]) == \
        sorted((m["doc_id"], m["start"]) for e in coded for m in e["mentions"])
    assert all(e["num_articles"] == len({m["doc_id"] for m in e["mentions"]}) for e in merged)
    assert all("num_articles" not in e for e in coded)
    joined = next(e for e in merged if e["num_sources"] > 1)
    outlet = joined["mentions"][-1]["source"]
    by_outlet = listed("--source", outlet, "--type", joined["event_type"])
    assert joined["id"] in {e["id"] for e in by_outlet}
    assert all(e["event_type"] == joined["event_type"] and any(m["source"] == outlet for m in e["mentions"])
               for e in by_outlet)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["events", "--db", str(db), "-f", "csv"]).stdout)))
    assert [int(r["num_articles"]) for r in rows] == [e["num_articles"] for e in merged]
    assert {r["num_articles"] for r in csv.DictReader(io.StringIO(runner.invoke(
        app, ["events", "--db", str(db), "-f", "csv", "--per-report"]).stdout))} == {""}


def test_an_older_database_is_upgraded_and_its_merged_events_rebuilt(tmp_path):
    """A database consolidated before merged events could be filtered (schema step 3) loses its merged
    events on upgrade and the next ingest, even with nothing new to code, builds them again."""
    import duckdb

    from cablegram.store.migrations import MIGRATIONS, VERSION_TABLE

    path = tmp_path / "old.duckdb"
    assert CliRunner().invoke(app, ["ingest", str(MERGE / "dev.jsonl"), "--db", str(path)]).exit_code == 0
    con = duckdb.connect(str(path))
    for table in ("merged_events", "merged_members", "stories", "schema_version"):
        con.execute(f"DROP TABLE {table}")
    con.execute(VERSION_TABLE.format(text="VARCHAR"))
    for step in MIGRATIONS[2:3]:
        for statement in step.statements:
            con.execute(statement.format(text="VARCHAR"))
    for step in MIGRATIONS[:3]:
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [step.version, step.name])
    con.execute("INSERT INTO merged_events (id, data) VALUES ('ev_stale', '{}')")
    con.close()
    again = CliRunner().invoke(app, ["ingest", str(MERGE / "dev.jsonl"), "--db", str(path)])
    assert again.exit_code == 0 and "0 document(s) coded" in again.output
    listed = CliRunner().invoke(app, ["events", "--db", str(path), "-f", "jsonl", "--type", "SANCTION"])
    events = [json.loads(line) for line in listed.stdout.splitlines()]
    assert events and all(e["event_type"] == "SANCTION" and e["num_articles"] for e in events)
    assert "ev_stale" not in listed.stdout


def test_cli_code_merges_unless_told_not_to():
    runner = CliRunner()
    path = str(MERGE / "dev.jsonl")
    merged = [json.loads(line) for line in runner.invoke(app, ["code", path]).output.splitlines()]
    apart = [json.loads(line) for line in runner.invoke(app, ["code", path, "--no-merge"]).output.splitlines()]
    assert len(merged) < len(apart)
    assert max(e["num_articles"] for e in merged) >= 2
    assert all("num_articles" not in e for e in apart)
    for e in merged:
        jsonschema.validate(e, SCHEMA)


def test_cli_evaluate_merge_reports_precision_and_recall():
    result = CliRunner().invoke(app, ["evaluate-merge", str(MERGE / "dev.jsonl"), "--gold",
                                      str(MERGE / "dev_gold.json"), "--stories", str(MERGE / "dev_stories.json")])
    assert result.exit_code == 0, result.output
    assert re.search(r"precision \d\.\d{3} recall \d\.\d{3}", result.output)
    assert re.search(r"stories: \d+ found, 8 in the gold", result.output)


def test_story_scoring_is_pairwise_over_documents_both_sides_place(tmp_path):
    gold = [["a", "b", "c"], ["d", "e"]]
    assert score_stories([["a", "b", "c"], ["d", "e"]], gold) == (1.0, 1.0, 4, 4, 4)
    p, r, together, pairs, hit = score_stories([["a", "b"], ["c", "d", "e"], ["x", "a2"]], gold)
    assert (together, pairs, hit) == (4, 4, 2) and p == r == 0.5
    bad = tmp_path / "stories.json"
    bad.write_text('[["a", 1]]')
    with pytest.raises(ValueError, match="lists of document ids"):
        load_story_gold(bad)


def test_store_keeps_parses_and_vectors_so_recomputing_embeds_nothing_new(db):
    from cablegram.store import open_store

    with open_store(str(db)) as store:
        cache = store.wording_cache()
        assert cache.clauses and cache.vectors
        events = [Event.from_dict(d) for d in store.coded_events()]
        again = consolidate(events, store.document_meta(), cache)
        assert not cache.fresh_clauses and not cache.fresh_vectors
        stored = {s["id"]: s for s in store.stories()}
        assert {s["id"]: s["num_events"] for s in again.stories} == {i: s["num_events"] for i, s in stored.items()}
        assert [e.to_dict() for e in again.events if e.story_id] and all(
            store.why(e.id)["event"] == e.to_dict() for e in again.events)


def test_parses_from_another_extraction_method_are_not_reused(tmp_path):
    from cablegram.consolidate.phrases import METHOD
    from cablegram.store import open_store

    path = str(tmp_path / "m.duckdb")
    with open_store(path) as store:
        with store._connect(write=True) as con:
            store._run(con, "INSERT INTO clause_cache (method, sentence, trigger, clause, phrases) "
                            "VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
                       ["old", "A met B.", "met", "A met B", '["stale"]', METHOD, "C met D.", "met", "C met D", "[]"])
        assert list(store.wording_cache().clauses) == [("C met D.", "met")]


def test_stories_of_a_database_never_consolidated_say_how_to_build_them(tmp_path):
    from cablegram.models import Document
    from cablegram.store import open_store

    path = tmp_path / "old.duckdb"
    doc = Document(id="d1", text="Chile and Peru met.", source="A")
    ev = Event("CONSULT", Party("Chile", "CHL"), Party("Peru", "PER"),
               mentions=[Mention(doc_id="d1", sentence="Chile and Peru met.", start=0, end=18, source="A")])
    ev.assign_id()
    with open_store(str(path)) as store:
        store.add(doc, [ev])
    result = CliRunner().invoke(app, ["stories", "--db", str(path)])
    assert result.exit_code == 0 and "cablegram consolidate" in result.output
    result = CliRunner().invoke(app, ["events", "--db", str(path), "-f", "jsonl"])
    assert result.exit_code == 0 and not result.stdout and "cablegram consolidate" in result.stderr
    per_report = CliRunner().invoke(app, ["events", "--db", str(path), "-f", "jsonl", "--per-report"])
    assert [json.loads(line)["id"] for line in per_report.stdout.splitlines()] == [ev.id]
    assert CliRunner().invoke(app, ["consolidate", "--db", str(path)]).exit_code == 0
    with open_store(str(path), read_only=True) as store:
        assert [s["num_events"] for s in store.stories()] == [1]


def test_a_stored_event_that_cannot_be_read_stops_consolidation_with_a_reason(tmp_path):
    from cablegram.store import open_store

    path = tmp_path / "broken.duckdb"
    with open_store(str(path)) as store:
        with store._connect(write=True) as con:
            store._run(con, "INSERT INTO events (id, content_hash, data) VALUES (?, ?, ?)",
                       ["ev_broken", "h", '{"event_type": "CONSULT"}'])
    result = CliRunner().invoke(app, ["consolidate", "--db", str(path)])
    assert result.exit_code == 1 and "merging them failed" in result.output
