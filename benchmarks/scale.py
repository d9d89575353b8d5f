"""Consolidation at scale: wall time and peak memory of `cablegram ingest`, `cablegram code` and
`cablegram spark` over generated corpora of growing size, and the time of an incremental batch.

Usage: python benchmarks/scale.py [--sizes 1000 5000 20000] [--corpus feed|pair] [--steps ingest code spark]
       [--work DIR] [--json OUT]
`feed` is the `cablegram bench` news feed (bench_corpus.articles); `pair` is political coverage of a few
pairs, eight in ten articles about the United States and Russia (bench_corpus.diplomatic_articles). Each
command runs in a fresh process; its peak memory is the largest sum of resident sets of the process and all
its descendants (the JVM and Python workers for Spark), sampled every 0.2 s from /proc. After the largest
ingest, two batches of 100 further documents go into the same store: the newest (published in the corpus's
last two weeks, as a daily feed adds them), then 100 of any day (touching almost every month); the
consolidation time each ingest prints is compared with the full ingest's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "cablegram.cli"]


def _tree_rss(pid: int) -> int:
    """Resident set (bytes) of `pid` and every descendant, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def measure(cmd: list[str]) -> dict:
    """Run `cmd`; its wall time, peak memory of its process tree, exit status, standard error, and the
    machine's load average (1 minute) at its start and end: timings on a shared machine need it."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CABLEGRAM_THREADS": "1"}
    load = [round(os.getloadavg()[0], 1)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    err = proc.stderr.read()
    load.append(round(os.getloadavg()[0], 1))
    return {"seconds": round(time.perf_counter() - start, 1), "peak_mb": round(peak / 2**20, 1),
            "status": proc.returncode, "load": load, "stderr": err[-2000:]}


def write_corpus(kind: str, first: int, n: int, work: Path, days: tuple[int, int] = (0, 300),
                 tag: str = "") -> tuple[Path, Path]:
    """Documents first..first+n-1 of a corpus, published on `days` of 2026, as JSONL and Parquet files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cablegram.bench_corpus import articles, diplomatic_articles

    make = articles if kind == "feed" else diplomatic_articles
    docs = list(make(first + n, seed=17, days=days))[first:]
    for d in docs:  # a batch generated again under other dates keeps ids apart from the corpus
        d.id = f"{d.id}{tag}"
    rows = [{"id": d.id, "title": d.title, "date": d.feed_date, "source": d.source, "text": d.text} for d in docs]
    stem = work / f"{kind}-{first}-{n}{tag}"
    with open(f"{stem}.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    pq.write_table(pa.Table.from_pylist(rows), f"{stem}.parquet")
    return Path(f"{stem}.jsonl"), Path(f"{stem}.parquet")


def consolidation_seconds(stderr: str) -> float | None:
    """The consolidation time `cablegram ingest` reports."""
    found = re.search(r"consolidated in ([0-9.]+) s", stderr)
    return float(found.group(1)) if found else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 5000, 20000])
    ap.add_argument("--corpus", choices=["feed", "pair"], default="feed")
    ap.add_argument("--steps", nargs="+", default=["ingest", "spark"], choices=["ingest", "code", "spark"])
    ap.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/cablegram-scale"))
    ap.add_argument("--json", type=Path, help="Append each result as a JSON line to this file.")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    def report(row: dict) -> None:
        row = {k: v for k, v in row.items() if k != "stderr" or row.get("status")}
        print(json.dumps(row), flush=True)
        if args.json:
            with open(args.json, "a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")

    for n in args.sizes:
        jsonl, parquet = write_corpus(args.corpus, 0, n, args.work)
        if "ingest" in args.steps:
            db = args.work / f"{args.corpus}-{n}.duckdb"
            db.unlink(missing_ok=True)
            r = measure(CLI + ["ingest", str(jsonl), "--db", str(db)])
            report({"corpus": args.corpus, "docs": n, "step": "ingest", **r,
                    "consolidation_s": consolidation_seconds(r["stderr"])})
            if n == max(args.sizes):
                for label, days, tag in (("newest", (287, 300), "-new"), ("any day", (0, 300), "")):
                    batch, _ = write_corpus(args.corpus, n, 100, args.work, days, tag)
                    r = measure(CLI + ["ingest", str(batch), "--db", str(db)])
                    report({"corpus": args.corpus, "docs": n, "step": f"ingest +100 ({label})", **r,
                            "consolidation_s": consolidation_seconds(r["stderr"])})
        if "code" in args.steps:
            r = measure(CLI + ["code", str(jsonl), "--output", str(args.work / "code.jsonl")])
            report({"corpus": args.corpus, "docs": n, "step": "code", **r})
        if "spark" in args.steps:
            for master in args.masters:
                r = measure(CLI + ["spark", str(parquet), str(args.work / "spark-out"), "--master", master])
                report({"corpus": args.corpus, "docs": n, "step": f"spark {master}", **r})


if __name__ == "__main__":
    main()
