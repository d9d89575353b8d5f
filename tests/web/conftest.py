"""Shared fixtures for the web tests: real stores (a DuckDB file, a PostgreSQL database) holding our small corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cablegram.coding.coder import Coder
from cablegram.pipeline import RunReport, code_paths
from cablegram.web.app import create_app
from web_data import CORPUS, fill


@pytest.fixture(scope="session")
def coded_corpus() -> list:
    """(document, events) for every report of the corpus, coded once per session."""
    report = RunReport()
    coded = list(code_paths([str(CORPUS)], Coder(), report))
    assert not report.skipped and len(coded) == 4
    return coded


@pytest.fixture(scope="session")
def built_db(tmp_path_factory, coded_corpus) -> Path:
    """The corpus in a DuckDB file, built once per session; treat as read-only."""
    path = tmp_path_factory.mktemp("webdb") / "events.duckdb"
    fill(str(path), coded_corpus)
    return path


@pytest.fixture
def db_copy(built_db, tmp_path) -> Path:
    """A private copy of the built database for a test that writes to it."""
    path = tmp_path / "events.duckdb"
    shutil.copy(built_db, path)
    return path


@pytest.fixture(scope="module")
def client(built_db):
    """The app over the built database, read-only (no write token configured)."""
    with TestClient(create_app(str(built_db), token="")) as c:
        yield c
