"""`cablegram spark` on PySpark local[2] writes the same events as coding the same Parquet file locally."""

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
from cablegram.spark import run


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
    count, errors = run(str(documents), str(out), master="local[2]", partitions=2)
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
