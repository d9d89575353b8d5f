"""Load test for `cablegram serve`: concurrent keep-alive clients on the loopback interface, a bounded number
of requests and a bounded time, reporting requests per second, latency percentiles and every error.

    python benchmarks/load.py --db /tmp/demo.duckdb --workers 2 --clients 10 --requests 6000 \
        --path / --path /api/events --path /events/ID [--during "cablegram ingest ... --db /tmp/demo.duckdb"]

With --db it starts the server itself (on a free loopback port) and stops it afterwards; with --url it loads
a server already running on 127.0.0.1. --during runs a command (e.g. an ingest into the same file) while the
load runs and reports how it ended. The client is plain asyncio over HTTP/1.1, light enough to share the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, workers: int) -> tuple[subprocess.Popen, str]:
    """`cablegram serve` on a free loopback port, waited for until it answers; (process, base URL)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CABLEGRAM_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "cablegram.cli", "serve", "--db", db, "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/events?limit=1", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the server did not start")


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked body); its status code."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def client(host: str, port: int, paths: list[str], budget: dict, deadline: float, results: list,
                 unique: bool = False) -> None:
    """One keep-alive connection sending the paths in turn until the shared request budget or the time runs out;
    with `unique`, each URL gets a query parameter no other request has, so no whole response can be reused."""
    reader, writer = await asyncio.open_connection(host, port)
    i = 0
    try:
        while budget["left"] > 0 and time.monotonic() < deadline:
            budget["left"] -= 1
            path = paths[i % len(paths)]
            i += 1
            url = f"{path}{'&' if '?' in path else '?'}unique={budget['left']}" if unique else path
            start = time.perf_counter()
            writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
            try:
                status = await read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
                results.append((path, time.perf_counter() - start, f"error: {exc}"))
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            results.append((path, time.perf_counter() - start, status))
    finally:
        writer.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def summary(results: list, elapsed: float) -> dict:
    """Requests, errors, requests per second and latency percentiles (ms), overall and per path."""
    def stats(rows: list) -> dict:
        ms = [t * 1000 for _p, t, _s in rows]
        errors = [s for _p, _t, s in rows if s != 200]
        return {"requests": len(rows), "errors": len(errors), "error_kinds": sorted({str(e) for e in errors}),
                "p50_ms": round(percentile(ms, 50), 1), "p90_ms": round(percentile(ms, 90), 1),
                "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(max(ms, default=float("nan")), 1)}

    paths = sorted({p for p, _t, _s in results})
    return {**stats(results), "seconds": round(elapsed, 2), "requests_per_s": round(len(results) / elapsed, 1),
            "per_path": {p: stats([r for r in results if r[0] == p]) for p in paths}}


async def run_load(base: str, paths: list[str], clients: int, requests: int, seconds: float,
                   unique: bool = False) -> dict:
    parts = urlsplit(base)
    budget, results = {"left": requests}, []
    start = time.monotonic()
    await asyncio.gather(*(client(parts.hostname, parts.port, paths, budget, start + seconds, results, unique)
                           for _ in range(clients)))
    return summary(results, time.monotonic() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", help="start `cablegram serve` over this store")
    where.add_argument("--url", help="load a server already running on the loopback interface")
    ap.add_argument("--workers", type=int, default=1, help="server processes (with --db)")
    ap.add_argument("--path", action="append", required=True, help="a path to request (repeatable, taken in turn)")
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=5000, help="at most this many requests in all")
    ap.add_argument("--seconds", type=float, default=60, help="and for at most this long")
    ap.add_argument("--warmup", type=int, default=200, help="requests sent (and not counted) before measuring")
    ap.add_argument("--unique", action="store_true",
                    help="make every URL unique (a query parameter the app ignores): no whole response is reused")
    ap.add_argument("--during", help="a command to run while the load runs, e.g. an ingest into the same store")
    args = ap.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.requests <= 1_000_000 or not 0 < args.seconds <= 600:
        raise SystemExit("--clients 1-200, --requests up to 1,000,000 and --seconds up to 600")
    proc, base = start_server(args.db, args.workers) if args.db else (None, args.url.rstrip("/"))
    if urlsplit(base).hostname not in LOOPBACK:
        raise SystemExit("loopback only: the load test never leaves this machine")
    try:
        if args.warmup:
            asyncio.run(run_load(base, args.path, args.clients, args.warmup, args.seconds))
        during = subprocess.Popen(shlex.split(args.during), stdout=subprocess.DEVNULL) if args.during else None
        report = asyncio.run(run_load(base, args.path, args.clients, args.requests, args.seconds, args.unique))
        if during:
            report["during"] = {"command": args.during, "still_running_at_end": during.poll() is None}
            try:
                report["during"]["exit_status"] = during.wait(timeout=600)
            except subprocess.TimeoutExpired:
                during.terminate()
                report["during"]["exit_status"] = f"stopped after 600 s: {during.wait()}"
        report.update(clients=args.clients, workers=args.workers if args.db else None, unique_urls=args.unique)
        print(json.dumps(report, indent=2))
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
