"""Concurrent use: reads go on answering while other processes write, and no write is lost or doubled."""

from __future__ import annotations

import multiprocessing
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from corpus_gen import write_reports
from store_data import make_item, write_until

from cablegram.store import EventFilter, StoreError, open_store
from cablegram.store.duck import DuckStore

WRITE_SECONDS = 4.0
NUMBERS = list(range(400))


def test_two_writers_and_a_reader(db):
    """Two writer processes add overlapping documents (one ascending, one descending) for a bounded time
    while this process keeps reading; every document added is stored exactly once."""
    with open_store(db) as store:
        store.add(*make_item(0))
    reads, errors = [], []
    stop = threading.Event()

    def read() -> None:
        with open_store(db, read_only=True) as reader:
            while not stop.is_set():
                try:
                    reads.append((reader.count_events(EventFilter()), len(reader.events(EventFilter(limit=20)))))
                    reader.stats()
                except Exception as exc:  # any error while writers run is a failure
                    errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        up = pool.apply_async(write_until, (db, NUMBERS, WRITE_SECONDS))
        down = pool.apply_async(write_until, (db, NUMBERS[::-1], WRITE_SECONDS))
        written = up.get(timeout=120) + down.get(timeout=120)
    stop.set()
    thread.join()

    assert not errors, errors[:3]
    attempted = {n for n, _ in written} | {0}
    counts = [c for c, _ in reads]
    assert counts == sorted(counts)  # never a step back
    assert any(2 < c < 2 * len(attempted) for c in counts)  # reads were answered while the writers ran
    new = [n for n, fresh in written if fresh]
    assert len(new) == len(set(new))  # no document counted as new twice
    with open_store(db, read_only=True) as store:
        snap = store.snapshot()
    assert sorted(doc_id for _, doc_id in snap["documents"]) == sorted(f"doc-{n}" for n in attempted)
    assert len(snap["events"]) == 2 * len(attempted)
    assert len(snap["mentions"]) == 2 * len(attempted)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_while_ingest_writes(tmp_path):
    """`serve` and `ingest` on one DuckDB file, two processes: every request answers 200 and every report lands."""
    path = str(tmp_path / "shared.duckdb")
    open_store(path).close()
    corpus = write_reports(tmp_path / "reports", 40)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "cablegram.cli", "serve", "--db", path, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/api/events")
                    break
                except httpx.TransportError:
                    assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                    time.sleep(0.1)
            assert server.poll() is None, server.stderr.read()  # it is our server that answered
            ingest = subprocess.Popen([sys.executable, "-m", "cablegram.cli", "ingest", str(corpus), "--db", path],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            totals, statuses = [], []
            deadline = time.monotonic() + 180
            while ingest.poll() is None and time.monotonic() < deadline:
                api = client.get("/api/events", params={"limit": 5, "per_report": "true"})
                page = client.get("/")
                statuses += [api.status_code, page.status_code]
                if api.status_code == 200:
                    totals.append(api.json()["total"])
            assert ingest.wait(timeout=5) == 0, ingest.stderr.read()
            final = client.get("/api/events", params={"limit": 500, "per_report": "true"}).json()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses and set(statuses) == {200}
    assert totals == sorted(totals) and totals[-1] > totals[0]  # writes became visible while serving
    with open_store(path, read_only=True) as store:
        stats = store.stats()
    assert stats["documents"] == 40
    assert final["total"] == stats["events"] == len(final["events"])


def test_a_file_locked_too_long_gives_a_clear_error(tmp_path):
    """Another process holding the DuckDB file for writing: after lock_timeout, a clear StoreError, then
    normal service once it lets go."""
    path = str(tmp_path / "held.duckdb")
    open_store(path).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for read_only in (True, False):
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked by another process for 0.5 s"):
                DuckStore(path, read_only=read_only, lock_timeout=0.5)
            assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    assert DuckStore(path, lock_timeout=5).add(*make_item(1))
