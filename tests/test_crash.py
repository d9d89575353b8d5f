"""Crash safety: `cablegram ingest` killed with SIGKILL part-way, then run again, gives the same store as a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from corpus_gen import write_reports

from cablegram.store import open_store
from cablegram.store.duck import DuckStore

REPORTS = 200
CABLEGRAM = [sys.executable, "-m", "cablegram.cli"]


def stored_documents(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        store = DuckStore(str(path), read_only=True, lock_timeout=5)
    except Exception:  # not migrated yet
        return 0
    return store.stats()["documents"]


def test_sigkill_then_rerun_equals_clean_run(tmp_path):
    corpus = write_reports(tmp_path / "reports", REPORTS)
    clean, crashed = tmp_path / "clean.duckdb", tmp_path / "crashed.duckdb"

    uninterrupted = subprocess.Popen(CABLEGRAM + ["ingest", str(corpus), "--db", str(clean)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proc = subprocess.Popen(CABLEGRAM + ["ingest", str(corpus), "--db", str(crashed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while stored_documents(crashed) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    wal = Path(f"{crashed}.wal")  # exists only while a batch is being written: kill in the middle of one
    while not wal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    partial = stored_documents(crashed)
    assert 0 < partial < REPORTS  # really killed part-way

    rerun = subprocess.run(CABLEGRAM + ["ingest", str(corpus), "--db", str(crashed)],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial} already stored" in " ".join(rerun.stderr.split())
    assert uninterrupted.wait(timeout=300) == 0, uninterrupted.stderr.read()

    with open_store(str(clean), read_only=True) as a, open_store(str(crashed), read_only=True) as b:
        want, got = a.snapshot(), b.snapshot()
    assert len(want["documents"]) == REPORTS and len(want["events"]) >= REPORTS // 2
    assert got == want
