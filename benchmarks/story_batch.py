"""The cost of a batch that touches the big story: a copy of a consolidated store, one block of a pair marked
dirty, consolidated again; CPU and wall seconds and the process's peak memory.

Usage: python benchmarks/story_batch.py STORE.duckdb [--pair RUS USA]
The store is copied first (the original is left as it is); a store of an older schema is upgraded in the copy.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from cablegram.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--pair", nargs=2, default=["RUS", "USA"], help="The pair whose first block is marked.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / args.store.name
        shutil.copy(args.store, copy)
        with open_store(str(copy)) as store:
            store.consolidate()  # brings the copy up to date (and computes what an older schema lacks)
            store.mark_blocks(store.pair_blocks(json.dumps(sorted(args.pair) + [""])[:-3])[:1])
            cpu, wall = time.process_time(), time.perf_counter()
            store.consolidate()
            print(f"consolidation: {time.process_time() - cpu:.1f} CPU s, {time.perf_counter() - wall:.1f} s wall, "
                  f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
