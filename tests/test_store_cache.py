"""The server's read cache: answers kept per store version, read again after any write, and the last answer
given at once while another process is writing the file."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from cablegram.store import EventFilter, StoreError, open_store
from cablegram.store.cache import CachedStore, stale_reads
from cablegram.store.duck import DuckStore
from store_data import make_item

HOLD_WRITE_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("INSERT INTO documents (content_hash, id, text) VALUES ('held', 'held', 'x')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


class CountingStore(DuckStore):
    """A DuckDB store that counts how often it really opens the file."""

    opened = 0

    def _open(self, write):
        CountingStore.opened += 1
        return super()._open(write)


@pytest.fixture
def path(tmp_path) -> str:
    path = str(tmp_path / "cache.duckdb")
    with open_store(path) as store:
        for n in range(5):
            store.add(*make_item(n))
        store.consolidate()
    return path


def test_a_repeated_read_does_not_open_the_file_until_the_store_changes(path):
    cached = CachedStore(CountingStore(path, read_only=True))
    first = cached.events(EventFilter(limit=3))
    opened = CountingStore.opened
    assert cached.events(EventFilter(limit=3)) is first and cached.stats() == cached.stats()
    assert CountingStore.opened == opened + 1  # only stats() read the file
    assert cached.events(EventFilter(limit=4)) != first  # other arguments, another answer
    with open_store(path) as writer:
        writer.add(*make_item(99))
    assert cached.count_events(EventFilter()) == 12
    assert cached.stats()["documents"] == 6


def test_while_another_process_writes_the_last_answer_comes_at_once(path):
    cached = CachedStore(DuckStore(path, read_only=True, lock_timeout=30))
    before = cached.stats()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, path, "4"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        noted = []
        stale_reads.set(noted)
        start = time.monotonic()
        assert cached.stats() == before
        assert time.monotonic() - start < 2
        assert noted == ["stats"]  # so the response cache does not keep a page built from it
        cached.store.lock_timeout = 0.5
        with pytest.raises(StoreError, match="locked"):
            cached.document("doc-1")  # never read before: nothing to give but the wait
    finally:
        holder.wait(timeout=30)
    assert cached.stats()["documents"] == before["documents"] + 1
