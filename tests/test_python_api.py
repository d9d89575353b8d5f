"""The Python API as a notebook uses it: the README's example runs as written, and each function keeps the
project's rules (bad records reported, not dropped silently; a missing store is a clear error)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pyarrow as pa
import pytest

import cablegram

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "corpus" / "sample"


def _readme_example() -> str:
    """The python code block of the README's "Python API" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return code


def test_readme_example_runs(tmp_path, monkeypatch, capsys):
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    monkeypatch.chdir(tmp_path)
    exec(compile(_readme_example(), "README.md (Python API)", "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "ACCUSE GRC TUR 2025-03-03" in out
    assert "SANCTION events by India" in out and "ev_" in out
    assert (tmp_path / "notebook.duckdb").exists()


def test_import_loads_no_models():
    import subprocess
    import sys

    code = "import cablegram, sys; print(sorted(m for m in ('spacy', 'onnxruntime', 'pandas') if m in sys.modules))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


def test_code_documents_reads_paths_and_records_and_reports_bad_ones():
    text = (SAMPLE / "s08_pahalgam_indus.txt").read_text(encoding="utf-8")
    items = [SAMPLE / "s09_pakistan_response.txt", {"id": "mine", "text": text, "date": "2025-04-23"},
             {"id": "mine", "text": text}, {"text": 42}]
    with pytest.warns(cablegram.SkippedRecordWarning) as caught:
        events = cablegram.code_documents(items, merge=False)
    reasons = [str(w.message) for w in caught]
    assert any("duplicate id mine" in r for r in reasons) and any("wrong type for field text" in r for r in reasons)
    docs = {m["doc_id"] for e in events for m in e["mentions"]}
    assert docs == {"s09_pakistan_response", "mine"}
    frame = cablegram.to_frame(events)
    assert len(frame) == len(events) and list(frame["id"]) == [e["id"] for e in events]
    table = cablegram.to_arrow(events)
    assert isinstance(table, pa.Table) and table.num_rows == len(events)


def test_code_text_refuses_what_it_cannot_code():
    with pytest.raises(ValueError, match="empty text"):
        cablegram.code_text("   ")


def test_open_store_of_a_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="cablegram.ingest"):
        cablegram.open_store(str(tmp_path / "none.duckdb"))


def test_ingest_twice_codes_nothing_new(tmp_path):
    db = str(tmp_path / "s.duckdb")
    first = cablegram.ingest(SAMPLE / "s10_strikes_may7.txt", db)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = cablegram.ingest([SAMPLE / "s10_strikes_may7.txt"], db)
    assert first["coded"] == 1 and again["coded"] == 0 and again["unchanged"] == 1
    with cablegram.open_store(db) as store:
        per_report = store.events_frame(per_report=True)
        assert len(per_report) == first["events"] == store.stats()["events"]
        assert set(store.events_frame(actor="IND")["actor_country"]) == {"IND"}
