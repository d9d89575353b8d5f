"""A DuckDB session (store.session(), which a consolidation opens) keeps one connection between its calls,
gives it up when idle or when another thread or process needs the file, and changes no result."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import duckdb
import pytest
from store_data import make_item

from cablegram.store import EventFilter, open_store
from cablegram.store import duck_hold


@pytest.fixture
def filled(tmp_path):
    db = str(tmp_path / "s.duckdb")
    with open_store(db) as store:
        store.add_many([make_item(i) for i in range(10)])
    return db


def counting(monkeypatch) -> list[bool]:
    """Every connection opened from now on (whether read-only)."""
    opened = []
    real = duckdb.connect

    def connect(path, read_only=False):
        opened.append(read_only)
        return real(path, read_only=read_only)

    monkeypatch.setattr("cablegram.store.duck.duckdb.connect", connect)
    return opened


def test_a_session_keeps_one_connection(filled, monkeypatch):
    with open_store(filled) as store:
        opened = counting(monkeypatch)
        with store.session():
            for _ in range(5):
                assert store.count_events(EventFilter()) == 20
            store.add(*make_item(10))
            assert store.count_events(EventFilter()) == 22
        assert opened == [False]
        assert store.count_events(EventFilter()) == 22
        assert opened == [False, True]


def test_an_idle_session_gives_the_file_up(filled, monkeypatch):
    with open_store(filled) as store:
        opened = counting(monkeypatch)
        with store.session():
            store.count_events(EventFilter())
            time.sleep(duck_hold.IDLE * 3)
            reader = subprocess.run([sys.executable, "-c", "import duckdb, sys; "
                                     "print(duckdb.connect(sys.argv[1], read_only=True)"
                                     ".execute('SELECT count(*) FROM events').fetchone()[0])", filled],
                                    capture_output=True, text=True, timeout=60)
            store.count_events(EventFilter())
        assert reader.stdout.strip() == "20", reader.stderr
        assert opened == [False, False]


def test_another_thread_reads_during_a_session(filled):
    with open_store(filled) as store:
        with store.session():
            store.count_events(EventFilter())
            found = []
            other = threading.Thread(target=lambda: found.append(
                open_store(filled, read_only=True).count_events(EventFilter())))
            other.start()
            other.join()
            assert found == [20]
            assert store.count_events(EventFilter()) == 20


def test_consolidation_in_a_session_opens_few_connections(filled, monkeypatch):
    with open_store(filled) as store:
        opened = counting(monkeypatch)
        store.consolidate()
        assert len(opened) <= 5  # 25 without a session; more than one where a step pauses (loading models)


def test_a_busy_session_leaves_the_file_free_now_and_then(filled):
    """However closely a session's calls follow each other, another process's reader that never waits (as the
    server's cached reads do not) gets the file within a few HOLD periods."""
    probe = ("import duckdb, sys, time\n"
             "end = time.monotonic() + 20\n"
             "while time.monotonic() < end:\n"
             "    try:\n"
             "        con = duckdb.connect(sys.argv[1], read_only=True)\n"
             "    except duckdb.IOException:\n"
             "        continue\n"
             "    print(con.execute('SELECT count(*) FROM events').fetchone()[0]); break\n")
    with open_store(filled) as store:
        with store.session():
            store.count_events(EventFilter())
            reader = subprocess.Popen([sys.executable, "-c", probe, filled], stdout=subprocess.PIPE, text=True)
            end = time.monotonic() + duck_hold.HOLD * 8
            while reader.poll() is None and time.monotonic() < end:
                store.count_events(EventFilter())
            busy_until_read = reader.poll() is not None
        out, _ = reader.communicate(timeout=30)
    assert busy_until_read and out.strip() == "20"
