"""Store speed: what short-lived DuckDB connections cost against one held connection, and PostgreSQL.

    .venv/bin/python scripts/bench_store.py [--docs 600] [--pg postgresql://...]

Writes the same generated documents (3 events each) in batches of 16, then times a 50-event query.
Figures are ratios against the held-connection baseline measured in the same process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from store_data import make_item  # noqa: E402

from cablegram.store import EventFilter, open_store  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--pg", help="an empty PostgreSQL database to include")
    args = ap.parse_args()
    items = [make_item(i, events_per_doc=3) for i in range(args.docs)]
    batches = [items[k:k + 16] for k in range(0, len(items), 16)]
    query = EventFilter(limit=50)
    tmp = Path(tempfile.mkdtemp())

    held = open_store(str(tmp / "held.duckdb"))
    con = duckdb.connect(held.path)
    base_write = timed(lambda: [held._add(con, d, e) for d, e in items])
    base_read = timed(lambda: [con.execute("SELECT data FROM events ORDER BY date DESC NULLS LAST, id LIMIT 50")
                                  .fetchall() for _ in range(50)]) / 50
    con.close()
    print(f"baseline, one held DuckDB connection: {len(items) / base_write:.0f} docs/s, "
          f"query {base_read * 1000:.1f} ms")

    stores = [("DuckDB, short-lived connections", str(tmp / "short.duckdb"))]
    if args.pg:
        stores.append(("PostgreSQL", args.pg))
    for name, db in stores:
        with open_store(db) as store:
            write = timed(lambda: [store.add_many(b) for b in batches])
            read = timed(lambda: [store.events(query) for _ in range(50)]) / 50
        print(f"{name}: {len(items) / write:.0f} docs/s ({base_write / write:.2f}x baseline), "
              f"query {read * 1000:.1f} ms ({read / base_read:.1f}x baseline)")


if __name__ == "__main__":
    main()
