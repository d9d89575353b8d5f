"""Full consolidation of a store from scratch: every block merged and every story built again, on a copy of
the store whose saved parses and vectors are emptied, so every clause is parsed and every text embedded.

Usage: python benchmarks/consolidation.py STORE.duckdb [--copy /tmp/consolidation.duckdb] [--profile N]
Prints wall and CPU seconds (models loaded beforehand, not counted); with --profile, the N costliest calls.
Run it with PYTHONPATH pointing at two source trees in turn to compare them on the same store.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--copy", type=Path, default=Path("/tmp/consolidation.duckdb"))
    ap.add_argument("--profile", type=int, default=0, help="Print this many of the costliest calls.")
    args = ap.parse_args()
    import duckdb

    shutil.copy(args.store, args.copy)
    con = duckdb.connect(str(args.copy))
    con.execute("DELETE FROM clause_cache")
    con.execute("DELETE FROM text_vectors")
    con.close()

    from cablegram.nlp import load_embedder, load_spacy
    from cablegram.store import open_store

    load_embedder(), load_spacy()
    profile = cProfile.Profile()
    with open_store(str(args.copy)) as store:
        load, cpu, start = os.getloadavg()[0], time.process_time(), time.perf_counter()
        if args.profile:
            profile.enable()
        stories = store.consolidate(full=True)
        profile.disable()
        print(f"{stories} stories; consolidation {time.perf_counter() - start:.1f} s wall, "
              f"{time.process_time() - cpu:.1f} s CPU; load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
