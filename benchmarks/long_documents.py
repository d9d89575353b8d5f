"""Time and peak memory of coding one long single-paragraph report against the same text as separate reports.

Usage: python benchmarks/long_documents.py [--sizes 100000 500000 2000000] [--json]
The text is the project's written reports (corpus/sample and eval/), bodies only, repeated in order until
the size is reached. "one" codes it as a single document whose body is one paragraph (the reports joined by
spaces); "separate" codes the same reports as documents of their own. Each pass runs in a fresh process
(models loaded first, then timed), so its peak resident set (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "corpus" / "sample", ROOT / "eval" / "dev", ROOT / "eval" / "test"]


def _bodies() -> list[str]:
    from cablegram.documents import iter_documents
    from cablegram.models import Document

    docs = [d for d in iter_documents([str(p) for p in SOURCES if p.exists()]) if isinstance(d, Document)]
    return [" ".join(d.text[d.body_start:].split()) for d in docs]


def _texts(size: int) -> list[str]:
    """Report bodies, repeated in order, whose lengths (plus one joining space each) add up to `size`."""
    bodies, out, total, i = _bodies(), [], 0, 0
    while total < size:
        body = bodies[i % len(bodies)][:size - total]
        out.append(body)
        total += len(body) + 1
        i += 1
    return out


def _child(mode: str, size: int, queue) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("CABLEGRAM_THREADS", "1")
    from cablegram.coding.coder import Coder
    from cablegram.models import Document

    texts = _texts(size)
    coder = Coder()
    coder.code(Document("warm", texts[0], feed_date="2025-06-01"))
    if mode == "one":
        docs = [Document("long", " ".join(texts), feed_date="2025-06-01")]
    else:
        docs = [Document(f"part-{i}", t, feed_date="2025-06-01") for i, t in enumerate(texts)]
    start = time.perf_counter()
    events = sum(len(evs) for _d, evs in coder.code_stream(docs))
    queue.put({"mode": mode, "chars": sum(len(d.text) for d in docs), "documents": len(docs), "events": events,
               "seconds": round(time.perf_counter() - start, 2),
               "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})


def measure(mode: str, size: int) -> dict:
    """One pass in a new process."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(mode, size, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 500_000, 2_000_000])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    for size in args.sizes:
        one, separate = measure("one", size), measure("separate", size)
        rows.append({"size": size, "one": one, "separate": separate,
                     "time_ratio": round(one["seconds"] / separate["seconds"], 2)})
        if not args.json:
            print(f"{size:>9,} chars: one document {one['seconds']:.1f} s, peak {one['peak_mb']:.0f} MB, "
                  f"{one['events']} events; {separate['documents']} separate {separate['seconds']:.1f} s, "
                  f"peak {separate['peak_mb']:.0f} MB, {separate['events']} events; time ratio "
                  f"{rows[-1]['time_ratio']:.2f}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
