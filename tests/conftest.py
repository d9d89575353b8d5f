"""Shared fixtures: a real PostgreSQL server for the session, a store fixture run on both backends, and spaCy as
shipped with the coder's paragraph rule, to compare the coder's faster pipeline against."""

from __future__ import annotations

import os
import uuid

import pytest

from pg_server import PgServer, PgUnavailable


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster. Under CI (CI=true) failing to start it fails the tests, never skips."""
    try:
        server = PgServer().start()
    except (PgUnavailable, OSError) as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL test server did not start: {exc}")
        pytest.skip(f"PostgreSQL test server did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """A new, empty database on the test server, as a postgresql:// URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server.url(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return pg_server.url(name)


@pytest.fixture(params=["duckdb", "postgresql"])
def db(request, tmp_path):
    """A --db value for an empty store: a DuckDB file path, then a PostgreSQL URL."""
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def shipped_spacy():
    """en_core_web_sm as shipped plus the coder's one added rule (a blank line ends a sentence), in a copy of its
    own: the benchmarks' cached baseline stays as shipped."""
    from cablegram.nlp import load_spacy

    nlp = load_spacy.__wrapped__(plain=True)
    nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp
