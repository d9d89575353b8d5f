"""The command line as a user runs it: code to JSONL/CSV/table, ingest into a real DuckDB file, query it."""

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cablegram.cli import app

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "corpus" / "sample"
REPORT = ("Talks in Vienna\n date 2025-03-05\nVIENNA, March 5. /Danube Wire/. Iran and the United States held "
          "indirect talks in Vienna on Tuesday, Omani mediators said. Tehran later accused Washington of "
          "bad faith.\n")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_code_jsonl_from_stdin(runner):
    res = runner.invoke(app, ["code", "-"], input=REPORT)
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    consult = [e for e in events if e["event_type"] == "CONSULT"]
    assert consult and consult[0]["date"] == "2025-03-04"
    assert consult[0]["mentions"][0]["source"] == "Danube Wire"
    assert {consult[0]["actor"]["country"], consult[0]["recipient"]["country"]} == {"IRN", "USA"}


def test_code_and_ingest_take_the_learned_extractor_and_refuse_an_unknown_one(runner, tmp_path):
    res = runner.invoke(app, ["code", "-", "--extractor", "learned", "--no-merge"], input=REPORT)
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert any({e["actor"]["country"], (e["recipient"] or {}).get("country")} == {"IRN", "USA"} for e in events)
    db = tmp_path / "learned.duckdb"
    res = runner.invoke(app, ["ingest", "-", "--db", str(db), "--extractor", "learned"], input=REPORT)
    assert res.exit_code == 0, res.output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(events)
    res = runner.invoke(app, ["code", "-", "--extractor", "neural"], input=REPORT)
    assert res.exit_code == 2 and "--extractor must be lexicon or learned" in res.output


def test_code_csv_and_table(runner, tmp_path):
    f = tmp_path / "vienna.txt"
    f.write_text(REPORT, encoding="utf-8")
    res = runner.invoke(app, ["code", str(f), "--format", "csv"])
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and rows[0]["doc_ids"] == "vienna"
    res = runner.invoke(app, ["code", str(f), "--format", "table"])
    assert res.exit_code == 0 and "CONSULT" in res.stdout


def test_missing_input_is_a_clear_error(runner, tmp_path):
    res = runner.invoke(app, ["code", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_ingest_is_idempotent_and_queryable(runner, tmp_path):
    db = str(tmp_path / "c.duckdb")
    first = runner.invoke(app, ["ingest", str(SAMPLE), "--db", db])
    assert first.exit_code == 0, first.output
    with duckdb.connect(db, read_only=True) as con:
        docs, evs = con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)").fetchone()
    assert docs >= 20 and evs > docs
    again = runner.invoke(app, ["ingest", str(SAMPLE), "--db", db])
    assert again.exit_code == 0 and "0 document(s) coded" in again.output
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == evs

    res = runner.invoke(app, ["events", "--db", db, "--actor", "IND", "--recipient", "PAK", "--format", "jsonl"])
    got = [json.loads(line) for line in res.stdout.splitlines()]
    assert got and all(e["actor"]["country"] == "IND" and e["recipient"]["country"] == "PAK" for e in got)
    res = runner.invoke(app, ["events", "--db", db, "--type", "consult", "--since", "2025-05", "--until", "2025-05",
                              "--format", "jsonl"])
    got = [json.loads(line) for line in res.stdout.splitlines()]
    assert got and all(e["event_type"] == "CONSULT" and e["date"].startswith("2025-05") for e in got)
