"""The web tests' corpus (our own wording) and the hostile markup planted in one of its articles."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from cablegram.store import open_store

CORPUS = Path(__file__).parent / "corpus.jsonl"
HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;")  # as pages must show them


def fill(db: str, coded: list) -> None:
    """Store coded (document, events) pairs and build the stories, as the `ingest` command does."""
    with open_store(db) as store:
        for doc, events in coded:
            store.add(doc, events)
        store.consolidate()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db: str, ready_path: str, *options: str):
    """`cablegram serve` over `db` on a free loopback port, without a write token and with any further `options`;
    yields its base URL once `ready_path` answers 200, and stops the server afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CABLEGRAM_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "cablegram.cli", "serve", "--db", str(db),
                             "--host", "127.0.0.1", "--port", str(port), *options],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + ready_path, timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start: {proc.stdout.read().decode(errors='replace')}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def watched_page(browser, base: str):
    """A fresh browser page that records dialogs (dismissing them), script errors and every request that
    leaves the server at `base`, as `page.dialogs`, `page.errors` and `page.foreign`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs, page.errors, page.foreign = [], [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base + "/") else page.foreign.append(r.url))
    try:
        yield page
    finally:
        context.close()
