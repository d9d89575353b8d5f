"""`cablegram spark` on PySpark local[2] writes the same events as coding the same Parquet file locally
(--no-merge), and the same merged events and stories as a local ingest of it (the default)."""

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cablegram.bench_corpus import articles
from cablegram.coding.coder import Coder
from cablegram.documents import iter_documents
from cablegram.models import Skipped
from cablegram.pipeline import RunReport, ingest_paths
from cablegram.spark import merge_frame, partition_count, run, session, stories_path
from cablegram.store import open_store
from cablegram.store.base import EventFilter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    rows = [{"id": d.id, "title": d.title, "text": d.text, "source": d.source, "date": d.feed_date}
            for d in articles(6, seed=11)]
    rows.insert(2, {"id": None, "title": None, "text": "   ", "source": None, "date": None})  # empty: skipped
    rows.append({"id": None, "title": None, "source": None, "date": "2026-02-01",
                 "text": "Brazil and Chile signed a trade agreement in Santiago on Friday, officials said."})
    path = tmp_path_factory.mktemp("spark") / "docs.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime (.ci/run installs one)")
def test_spark_events_equal_local_events(documents: Path, tmp_path: Path):
    out = tmp_path / "events"
    count, errors = run(str(documents), str(out), master="local[2]", partitions=2, merge=False)
    got = sorted((json.loads(r["event"]) for r in pq.read_table(out).to_pylist() if r["event"]),
                 key=lambda e: e["id"])
    items = list(iter_documents([documents]))
    local = sorted((e.to_dict() for _d, evs in Coder().code_stream(i for i in items if not isinstance(i, Skipped))
                    for e in evs), key=lambda e: e["id"])
    assert count == len(got) == len(local) > 0
    assert got == local
    assert errors == [f"{documents}:3: empty text"]
    assert [s.origin for s in items if isinstance(s, Skipped)] == [f"{documents}:3"]
    assert any(m["doc_id"] == "docs-8" for e in got for m in e["mentions"])  # ids of rows without one match


@pytest.fixture(scope="module")
def merge_documents(tmp_path_factory) -> Path:
    """The merge dev set and the two timeless seed-like reports' shape: records with and without dates."""
    rows = [json.loads(line) for line in (ROOT / "eval" / "merge" / "dev.jsonl").read_text().splitlines() if line]
    rows += [{"id": "undated-1", "title": "Talks", "text": "Brazil and Chile signed a trade agreement on energy."},
             {"id": "undated-2", "title": "Deal", "text": "Chile and Brazil signed an energy trade agreement."}]
    path = tmp_path_factory.mktemp("spark-merge") / "merge.parquet"
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in ("id", "title", "date", "source", "text")}
                                         for r in rows]), path)
    return path


@pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime (.ci/run installs one)")
def test_spark_merged_events_and_stories_equal_a_local_ingest(merge_documents: Path, tmp_path: Path):
    out = tmp_path / "merged"
    count, errors = run(str(merge_documents), str(out), master="local[2]")
    got = sorted((json.loads(r["event"]) for r in pq.read_table(out).to_pylist()), key=lambda e: e["id"])
    stories = {r["id"]: json.loads(r["story"]) for r in pq.read_table(stories_path(str(out))).to_pylist()}
    with open_store(str(tmp_path / "local.duckdb")) as store:
        ingest_paths([str(merge_documents)], Coder(), store, RunReport())
        store.consolidate()
        local = sorted(store.events(EventFilter(merged=True, limit=10_000)), key=lambda e: e["id"])
        local_stories = {s["id"]: store.story(s["id"]) for s in store.stories()}
    assert errors == [] and count == len(got) == len(local)
    assert any(e["num_articles"] > 1 for e in got)
    assert got == local
    assert stories == local_stories


def test_partitions_follow_input_size_and_cores():
    assert partition_count(10, 2) == 1
    assert partition_count(5000, 2) == 6 and partition_count(5000, 16) == 48
    assert partition_count(100, 16) == 4


@pytest.mark.skipif(shutil.which("java") is None, reason="needs a Java runtime (.ci/run installs one)")
def test_the_merge_runs_in_as_many_tasks_as_shuffle_partitions():
    """Adaptive execution would coalesce a few megabytes of coded events into one partition: one core merges."""
    spark = session("local[2]")
    try:
        spark.conf.set("spark.sql.shuffle.partitions", "6")
        blocks = [json.dumps([f"C{k:02d}", "USA", "2026-03"]) for k in range(40)]
        coded = spark.createDataFrame([("{}", b) for b in blocks for _ in range(3)], "event string, block string")
        assert merge_frame(spark, coded).rdd.getNumPartitions() == 6
    finally:
        spark.stop()
