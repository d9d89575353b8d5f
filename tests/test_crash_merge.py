"""Recoverable consolidation: `cablegram ingest` killed with SIGKILL after it stored every document but before
the merged events and stories were rebuilt leaves the merged view marked stale, and the next ingest, upload,
`serve` start or `consolidate` finishes it. Run on DuckDB and PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import psycopg
from fastapi.testclient import TestClient

from cablegram.documents import iter_documents
from cablegram.store import is_postgres
from cablegram.web.app import create_app

SAMPLE = Path(__file__).parents[1] / "corpus" / "sample"
REPORTS = ("s01_riyadh_meeting.txt", "s02_istanbul_first_round.txt", "s03_istanbul_second_round.txt",
           "s08_pahalgam_indus.txt", "s09_pakistan_response.txt", "s14_eu_16th_package.txt")
CABLEGRAM = [sys.executable, "-m", "cablegram.cli"]
TOKEN = "s3cret-token"
STATE = ("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM consolidation_pending), "
         "(SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM merged_members)), "
         "(SELECT count(*) FROM events)")


def state(db: str) -> tuple[int, int, int, int] | None:
    """(documents, stale marks, coded events outside the merged view, coded events), None while unreadable
    (the writer holds the DuckDB file, or the schema is not there yet)."""
    try:
        if is_postgres(db):
            with psycopg.connect(db, autocommit=True) as con:
                return tuple(con.execute(STATE).fetchone())
        with duckdb.connect(db, read_only=True) as con:
            return tuple(con.execute(STATE).fetchone())
    except (duckdb.Error, psycopg.Error):
        return None


def corpus(tmp_path: Path) -> Path:
    """A few of the sample reports in a folder of their own."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in REPORTS:
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    return folder


def kill_between_store_and_merge(db: str, reports: Path) -> tuple[int, int, int, int]:
    """Start an ingest, SIGKILL it as soon as every document is stored (it is then merging), and return the
    state it left."""
    documents = len(REPORTS)
    proc = subprocess.Popen(CABLEGRAM + ["ingest", str(reports), "--db", db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        now = state(db)
        if now and now[0] == documents:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    left = state(db)
    assert left[0] == documents and left[1] == 1, left  # all stored, the merged view marked stale
    assert left[2] > 0, left  # and really stale: killed before the merge was saved
    return left


def test_sigkill_between_store_and_merge_then_ingest_finishes_it(db, tmp_path):
    reports, documents = corpus(tmp_path), len(REPORTS)
    kill_between_store_and_merge(db, reports)
    rerun = subprocess.run(CABLEGRAM + ["ingest", str(reports), "--db", db], capture_output=True, text=True,
                           timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"0 document(s) coded, 0 event(s); {documents} already stored" in " ".join(rerun.stderr.split())
    done = state(db)
    assert done[:3] == (documents, 0, 0) and done[3] > documents


def test_sigkill_between_store_and_merge_then_upload_finishes_it(db, tmp_path):
    reports = corpus(tmp_path)
    kill_between_store_and_merge(db, reports)
    stored = next(iter_documents([str(reports / REPORTS[0])]))
    with TestClient(create_app(db, token=TOKEN)) as c:  # an upload of a report already stored
        r = c.post("/api/documents", json={"id": stored.id, "text": stored.text},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json()["unchanged"] == [{"id": stored.id}]
    assert state(db)[1:3] == (0, 0)


def test_sigkill_between_store_and_merge_then_serve_start_finishes_it(tmp_path):
    db = str(tmp_path / "store.duckdb")
    kill_between_store_and_merge(db, corpus(tmp_path))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "CABLEGRAM_TOKEN"}
    server = subprocess.Popen(CABLEGRAM + ["serve", "--db", db, "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while server.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        stories = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5).json()["total"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert stories > 0
    assert state(db)[1:3] == (0, 0)
