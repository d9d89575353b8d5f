"""Output layouts as a user gets them from the command line: Parquet read back with pyarrow, the PLOVER
layout checked field by field against the JSONL event it came from, ids in the table, progress totals."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest
from rich.console import Console
from typer.testing import CliRunner

from cablegram import __version__, cli
from cablegram.cli import app
from cablegram.output import flatten
from cablegram.output_plover import QUAD_CODE, cameo_roots
from cablegram.record_count import count_records

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "corpus" / "sample"
REPORTS = [SAMPLE / f for f in ("s08_pahalgam_indus.txt", "s09_pakistan_response.txt", "s10_strikes_may7.txt")]
PLOVER_SCHEMA = json.loads((ROOT / "docs" / "plover.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def store(runner, tmp_path_factory):
    """A DuckDB store holding three India-Pakistan reports, merged (some events are told by two reports)."""
    db = str(tmp_path_factory.mktemp("formats") / "c.duckdb")
    res = runner.invoke(app, ["ingest", *map(str, REPORTS), "--db", db])
    assert res.exit_code == 0, res.output
    return db


def _jsonl(runner, args: list[str]) -> list[dict]:
    res = runner.invoke(app, [*args, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines()]


@pytest.mark.parametrize("listing", [[], ["--per-report"]], ids=["merged", "per-report"])
def test_events_parquet_reads_back_with_the_jsonl_rows(runner, store, tmp_path, listing):
    expected = _jsonl(runner, ["events", "--db", store, *listing])
    assert expected and (listing or any(e["num_articles"] > 1 for e in expected))
    out = tmp_path / "events.parquet"
    res = runner.invoke(app, ["events", "--db", store, *listing, "--format", "parquet", "--output", str(out)])
    assert res.exit_code == 0, res.output
    table = pq.read_table(out)
    rows = table.to_pylist()
    assert [json.loads(r.pop("event")) for r in rows] == expected
    assert rows == [flatten(e) for e in expected]
    assert str(table.schema.field("lat").type) == "double" and str(table.schema.field("hedged").type) == "bool"
    assert not list(tmp_path.glob(".*.part"))


def test_code_writes_parquet_with_the_rows_it_prints(runner, tmp_path):
    report = str(REPORTS[0])
    expected = _jsonl(runner, ["code", report])
    out = tmp_path / "coded.parquet"
    res = runner.invoke(app, ["code", report, "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert [json.loads(r["event"]) for r in pq.read_table(out).to_pylist()] == expected


@pytest.mark.parametrize("command", [["code", str(REPORTS[0])], ["events"]])
def test_parquet_is_refused_on_stdout(runner, store, tmp_path, command):
    args = command + (["--db", store] if command == ["events"] else [])
    res = runner.invoke(app, [*args, "--format", "parquet"])
    assert res.exit_code == 1 and "--output" in res.output and "binary" in res.output
    assert res.stdout.count("\n") <= 1  # the one error line, no data


def test_plover_layout_field_by_field(runner, store):
    events = _jsonl(runner, ["events", "--db", store])
    res = runner.invoke(app, ["events", "--db", store, "--format", "plover"])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(records) == len(events)
    for ev, rec in zip(events, records):
        jsonschema.validate(rec, PLOVER_SCHEMA)
        assert rec["id"] == ev["id"] and rec["date"] == ev["date"]
        assert rec["event"] == [ev["event_type"]] and rec["cameo_root"] == cameo_roots().get(ev["event_type"])
        assert rec["mode"] == ([ev["mode"]] if ev["mode"] else []) and rec["context"] == ev["context"]
        assert rec["quad_code"] == QUAD_CODE[ev["quad"]]
        for side in ("actor", "recipient"):
            party = ev[side]
            if party is None:
                assert rec[side] == []
                continue
            (entity,) = rec[side]
            assert entity["code"] == party["country"] and entity["entity_text"] == party["text"]
            assert entity["identifier_text"] == party["name"]
            assert [entity["sector"], *entity.get("sector_secondary", [])] == (party["sector"] or [None])
        loc = ev["location"]
        assert rec["event_loc"] == (loc and {"extracted_place": loc["text"], "resolved_place": loc["name"],
                                             "lat": loc["lat"], "lon": loc["lon"], "country_code": loc["country"]})
        assert rec["event_text"] == [m["sentence"] for m in ev["mentions"]]
        first = ev["mentions"][0]
        assert rec["text_info"] == {"start": first["start"], "end": first["end"]}
        assert rec["cite_info"]["citation"] == first["doc_id"] and rec["cite_info"]["publication"] == first["source"]
        assert rec["coder"] == f"cablegram {__version__}"
        assert (rec["status"], rec["confidence"]) == (ev["status"], ev["confidence"])
        assert (rec["num_sources"], rec["num_articles"]) == (ev["num_sources"], ev["num_articles"])


def test_cameo_roots_only_where_the_codebook_maps_one_to_one():
    roots = cameo_roots()
    assert roots["CONSULT"] == "04" and roots["AGREE"] == "03" and roots["SANCTION"] == "16"
    for split in ("CONCEDE", "RETREAT", "ACCUSE", "ASSAULT"):  # 08 split in two; 09+11, 18-20 folded
        assert split not in roots
    assert len(set(roots.values())) == len(roots)


def test_shipped_cameo_roots_are_what_the_script_derives():
    manual = ROOT.parent / "shared" / "data" / "plover_manual.tex"
    if not manual.exists():
        pytest.skip("the PLOVER codebook is not beside the project")
    import importlib.util

    spec = importlib.util.spec_from_file_location("cameo_roots_script", ROOT / "scripts" / "cameo_roots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.one_to_one(script.cue_table(manual.read_text(encoding="utf-8"))) == cameo_roots()


def test_table_shows_whole_ids_that_why_accepts(runner, store):
    res = runner.invoke(app, ["events", "--db", store, "--per-report"])
    assert res.exit_code == 0, res.output
    ids = re.findall(r"\bev_[0-9a-f]{16}\b", res.stdout)
    expected = [e["id"] for e in _jsonl(runner, ["events", "--db", store, "--per-report"])]
    assert ids == expected
    why = runner.invoke(app, ["why", ids[0], "--db", store, "--format", "json"])
    assert why.exit_code == 0, why.output


def test_version(runner):
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"cablegram {__version__}"


def test_record_count(tmp_path):
    (tmp_path / "a.txt").write_text("One report.", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\nnot json\n', encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    sub = tmp_path / "dir"
    sub.mkdir()
    (sub / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (sub / "notes.docx").write_bytes(b"PK")
    assert count_records([str(tmp_path / "a.txt"), str(tmp_path / "feed.jsonl")]) == 4
    assert count_records([str(tmp_path)]) == 1 + 3 + 1 + 2
    assert count_records([str(tmp_path / "missing.txt")]) == 1
    (tmp_path / "one.json").write_text("{}", encoding="utf-8")
    assert count_records([str(tmp_path / "one.json")]) is None
    assert count_records(["-"]) is None


def test_record_count_of_parquet(runner, store, tmp_path):
    out = tmp_path / "e.parquet"
    assert runner.invoke(app, ["events", "--db", store, "-f", "parquet", "-o", str(out)]).exit_code == 0
    assert count_records([str(out)]) == pq.ParquetFile(out).metadata.num_rows > 0


def test_progress_shows_the_total(runner, tmp_path, monkeypatch):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": f"d{i}", "text": REPORTS[0].read_text(encoding="utf-8")[:600]})
                              for i in range(3)) + "\n{broken\n", encoding="utf-8")
    screen = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=screen, force_terminal=True, width=160))
    res = runner.invoke(app, ["code", str(feed), "--no-merge", "--format", "csv"])
    assert res.exit_code == 2  # the broken line is reported and skipped
    shown = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", screen.getvalue())
    assert "4/4" in shown and "/?" not in shown


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted():
    import csv as csv_module
    import io

    from cablegram.output import write_events

    event = {"id": "ev_x", "event_type": "ACCUSE", "status": "occurred", "date": "2025-01-02",
             "actor": {"text": "=HYPERLINK(\"http://x\")", "country": "AAA", "sector": []},
             "recipient": None, "location": {"lat": -33.9, "lon": 18.4},
             "mentions": [{"doc_id": "d", "sentence": "@SUM(A1:A9) said something", "source": "+x"}]}
    out = io.StringIO()
    write_events([event], "csv", out)
    row = next(csv_module.DictReader(io.StringIO(out.getvalue())))
    assert row["actor_text"].startswith("'=") and row["sentence"].startswith("'@") and row["sources"] == "'+x"
    assert row["lat"] == "-33.9" and row["date"] == "2025-01-02"
