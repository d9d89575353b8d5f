"""Shared fixtures for the web tests: a real DuckDB file built by coding a small corpus of our own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cablegram.coding.coder import Coder
from cablegram.pipeline import RunReport, code_paths
from cablegram.store import open_store

CORPUS = Path(__file__).parent / "corpus.jsonl"
HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """The corpus ingested once per test session, as the `ingest` command does; treat as read-only."""
    path = tmp_path_factory.mktemp("webdb") / "events.duckdb"
    report = RunReport()
    with open_store(str(path)) as store:
        for doc, events in code_paths([str(CORPUS)], Coder(), report):
            store.add(doc, events)
    assert not report.skipped and report.coded == 4
    return path


@pytest.fixture
def db_copy(built_db, tmp_path) -> Path:
    """A private copy of the built database for a test that writes to it."""
    path = tmp_path / "events.duckdb"
    shutil.copy(built_db, path)
    return path
