"""Speed of consolidation next to coding, in one process on one core.

Usage: python benchmarks/merge.py [PATH ...] [--copies 1 4 8] [--json]
Codes the given reports (default: corpus/sample and eval/merge), then times merging alone, the whole
consolidation (merge, stories, issues, source comparison) from cold, and again with the parses and
vectors of the first run kept (as the store keeps them between ingests), each as a ratio of coding time. Larger inputs
are made by copying every document under new ids with its events shifted by a year per copy, so copies
share parties and wording (many candidate pairs) but not dated events; undated ones do merge across
copies, since nothing tells them apart.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("CABLEGRAM_THREADS", "1")

import argparse  # noqa: E402
import copy  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from cablegram.coding.coder import Coder  # noqa: E402
from cablegram.consolidate import WordingCache, consolidate, merge_events  # noqa: E402
from cablegram.models import Event  # noqa: E402
from cablegram.nlp import load_embedder  # noqa: E402
from cablegram.pipeline import RunReport, code_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def shifted(events: list[Event], k: int) -> list[Event]:
    """Copy k of the events: new document ids, every year moved by k."""
    out = []
    for ev in events:
        e = copy.deepcopy(ev)
        e.id = f"{ev.id}_{k}"
        if e.date:
            e.date = str(int(e.date[:4]) + k) + e.date[4:]
        for m in e.mentions:
            m.doc_id = f"{m.doc_id}#{k}"
            if m.published:
                m.published = str(int(m.published[:4]) + k) + m.published[4:]
        out.append(e)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "corpus" / "sample"), str(ROOT / "eval" / "merge")])
    ap.add_argument("--copies", nargs="+", type=int, default=[1, 4, 8])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    coder = Coder()
    load_embedder().encode(["warm up"])
    start = time.perf_counter()
    report = RunReport()
    events = [e for _d, evs in code_paths(args.paths, coder, report) for e in evs if e.mentions]
    coding = time.perf_counter() - start
    rows = []
    for n in args.copies:
        batch = [e for k in range(n) for e in (events if k == 0 else shifted(events, k))]
        t0 = time.perf_counter()
        merged = merge_events(batch)
        t1 = time.perf_counter()
        cache = WordingCache()
        stories = consolidate(batch, cache=cache).stories
        t2 = time.perf_counter()
        consolidate(batch, cache=cache)
        t3 = time.perf_counter()
        rows.append({"copies": n, "events": len(batch), "merged_events": len(merged.events),
                     "stories": len(stories), "merge_s": round(t1 - t0, 3), "consolidate_s": round(t2 - t1, 3),
                     "warm_s": round(t3 - t2, 3), "merge_vs_coding": round((t1 - t0) / (coding * n), 3),
                     "consolidate_vs_coding": round((t2 - t1) / (coding * n), 3),
                     "warm_vs_coding": round((t3 - t2) / (coding * n), 3)})
    result = {"documents": report.coded, "events": len(events), "coding_s": round(coding, 3), "runs": rows}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{report.coded} documents, {len(events)} events, coding {coding:.2f} s")
    print("copies  events  merged  stories  merge s  consolidate s  warm s  merge/coding  consolidate/coding  "
          "warm/coding")
    for r in rows:
        print(f"{r['copies']:>6}  {r['events']:>6}  {r['merged_events']:>6}  {r['stories']:>7}  {r['merge_s']:>7}  "
              f"{r['consolidate_s']:>13}  {r['warm_s']:>6}  {r['merge_vs_coding']:>12}  "
              f"{r['consolidate_vs_coding']:>18}  {r['warm_vs_coding']:>11}")


if __name__ == "__main__":
    main()
