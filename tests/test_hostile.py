"""The hostile corpus through `code` and `ingest`: every bad record reported with file, record and reason and
skipped, every good report beside them coded, exit status 2, nothing stored twice, a second run changes nothing."""

from __future__ import annotations

import json
import re

import pytest
from hostile_corpus import build
from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.store import open_store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("hostile")
    good, bad = build(directory)
    return directory, good, bad


def skip_reports(stderr: str, directory) -> dict[str, str]:
    """{origin relative to the corpus: reason} from the 'skipped ORIGIN: REASON' lines."""
    found = {}
    for line in stderr.splitlines():
        m = re.match(r"skipped (.+?): (.*)$", line)
        if m:
            found[m[1].removeprefix(f"{directory}/")] = m[2]
    return found


def check_skips(stderr: str, directory, bad: dict[str, str]) -> None:
    found = skip_reports(stderr, directory)
    assert set(found) == set(bad), (set(found) ^ set(bad), stderr)
    for origin, words in bad.items():
        assert words in found[origin], (origin, found[origin])
    assert f"{len(bad)} record(s) skipped" in stderr


def test_code_reports_every_bad_record_and_codes_every_good_one(corpus):
    directory, good, bad = corpus
    result = CliRunner().invoke(app, ["code", str(directory)])
    assert result.exit_code == 2, result.output
    check_skips(result.stderr, directory, bad)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert {m["doc_id"] for e in events for m in e["mentions"]} == good


def test_ingest_twice_stores_each_good_report_once_and_changes_nothing(corpus, db):
    directory, good, bad = corpus
    first = CliRunner().invoke(app, ["ingest", str(directory), "--db", db])
    assert first.exit_code == 2, first.output
    check_skips(first.stderr, directory, bad)
    with open_store(db, read_only=True) as store:
        before = store.snapshot()
    assert sorted(doc_id for _, doc_id in before["documents"]) == sorted(good)
    assert before["events"]

    second = CliRunner().invoke(app, ["ingest", str(directory), "--db", db])
    assert second.exit_code == 2, second.output
    check_skips(second.stderr, directory, bad)
    assert f"0 document(s) coded, 0 event(s); {len(good)} already stored" in second.stderr
    with open_store(db, read_only=True) as store:
        assert store.snapshot() == before

    listed = CliRunner().invoke(app, ["events", "--db", db, "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    assert sorted(json.loads(line)["id"] for line in listed.stdout.splitlines()) == [e[0] for e in before["events"]]


def test_good_input_alone_exits_zero(tmp_path):
    directory = tmp_path / "clean"
    directory.mkdir()
    good, _ = build(tmp_path / "all")
    for name in ("good-a.txt", "utf16.txt"):
        (directory / name).write_bytes((tmp_path / "all" / name).read_bytes())
    assert CliRunner().invoke(app, ["code", str(directory)]).exit_code == 0
    assert CliRunner().invoke(app, ["ingest", str(directory), "--db", str(tmp_path / "s.duckdb")]).exit_code == 0


def test_jsonl_line_limit_is_exact_and_reading_goes_on(tmp_path, monkeypatch):
    from cablegram import documents
    from cablegram.documents import iter_documents
    from cablegram.models import Document

    monkeypatch.setattr(documents, "MAX_LINE_BYTES", 200)
    at_limit = json.dumps({"id": "fits", "text": "The minister met the envoy."})
    at_limit = at_limit[:-1] + " " * (199 - len(at_limit)) + "}"  # 199 bytes + newline = the limit
    over = json.dumps({"id": "over", "text": "The minister met the envoy." + " " * 300})
    after = json.dumps({"id": "after", "text": "The envoy left."})
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join([at_limit, over, after]) + "\n", encoding="utf-8")
    got = list(iter_documents([path]))
    assert [d.id for d in got if isinstance(d, Document)] == ["fits", "after"]
    assert [(s.origin, s.reason) for s in got if not isinstance(s, Document)] == [
        (f"{path}:2", "line longer than 200 bytes")]
