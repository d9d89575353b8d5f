"""Worker processes keep order and results; ingest codes only documents it has not stored."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cablegram.bench_corpus import articles
from cablegram.cli import app
from cablegram.coding.coder import Coder
from cablegram.models import Document
from cablegram.pipeline import RunReport, code_paths
from cablegram.store import open_store
from cablegram.workers import ParallelCoder


@pytest.fixture(scope="module")
def coder():
    return Coder()


def test_parallel_coding_matches_one_process_in_input_order(coder):
    docs = list(articles(10, seed=3))
    docs.insert(4, Document(id="broken", text=None))  # not text: fails inside a worker
    failures = []
    with ParallelCoder(2, chunk=3) as pool:
        got = [(d.id, [e.to_dict() for e in evs])
               for d, evs in pool.code_stream(docs, on_error=lambda d, e: failures.append((d.id, type(e).__name__)))]
    want = [(d.id, [e.to_dict() for e in evs]) for d, evs in coder.code_stream(docs[:4] + docs[5:])]
    assert got == want
    assert sum(len(evs) for _, evs in got) > 0
    assert failures == [("broken", "TypeError")]


REPORTS = {
    "a.txt": "Talks in Rome\n\nROME, June 2 (Lantern News) - Italy's Foreign Minister Carla Verdi met her Greek "
             "counterpart Nikos Pappas in Rome on Monday to discuss migration.\n",
    "b.txt": "Sanctions\n\nOTTAWA, June 3 (Lantern News) - Canada imposed sanctions on six Iranian officials on "
             "Tuesday, the foreign ministry said.\n",
    "c.txt": "Aid pledged\n\nTOKYO, June 4 (Lantern News) - Japan pledged emergency aid to the Philippines after "
             "the typhoon, the government said on Wednesday.\n",
}


class Recording:
    """The real coder, noting which documents reach it."""

    def __init__(self, coder):
        self.coder, self.seen = coder, []

    def code_stream(self, docs, on_error=None):
        def noted():
            for d in docs:
                self.seen.append(d.id)
                yield d
        return self.coder.code_stream(noted(), on_error=on_error)


def test_ingest_codes_only_new_documents(tmp_path: Path, coder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt"):
        (corpus / name).write_text(REPORTS[name], encoding="utf-8")
    db = str(tmp_path / "events.duckdb")

    def ingest():
        rec, report = Recording(coder), RunReport()
        with open_store(db) as store:
            for doc, evs in code_paths([str(corpus)], rec, report, seen=lambda d: store.has_document(d.content_hash)):
                store.add(doc, evs)
        return rec.seen, report

    seen, report = ingest()
    assert sorted(seen) == ["a", "b"] and report.coded == 2
    (corpus / "c.txt").write_text(REPORTS["c.txt"], encoding="utf-8")
    seen, report = ingest()
    assert seen == ["c"] and report.coded == 1 and report.unchanged == 2


def test_ingest_with_workers_stores_what_one_process_stores(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    counts = []
    for workers in ("1", "2"):
        db = str(tmp_path / f"w{workers}.duckdb")
        result = runner.invoke(app, ["ingest", str(corpus), "--db", db, "--workers", workers])
        assert result.exit_code == 0, result.output
        with open_store(db, read_only=True) as store:
            counts.append(store.stats())
    assert counts[0] == counts[1] and counts[0]["events"] > 0
