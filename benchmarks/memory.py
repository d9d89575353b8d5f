"""Peak memory of coding a streamed feed: 10,000 documents against 1,000 (target: at most 1.2 times).

Usage: python benchmarks/memory.py [--small 1000] [--large 10000] [--json]
Each size is coded in a fresh process (the `cablegram bench` coding pass: generated articles, read one at a
time, models loaded once); its peak resident set (ru_maxrss) is compared.
"""

from __future__ import annotations

import argparse
import json

from cablegram.bench import measure


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    small, large = measure("cablegram", args.small), measure("cablegram", args.large)
    result = {"small": {"docs": small.docs, "peak_mb": round(small.peak_mb, 1), "docs_per_s": round(small.docs_per_s, 2)},
              "large": {"docs": large.docs, "peak_mb": round(large.peak_mb, 1), "docs_per_s": round(large.docs_per_s, 2)},
              "ratio": round(large.peak_mb / small.peak_mb, 3)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{small.docs} docs: peak {small.peak_mb:.1f} MB; {large.docs} docs: peak {large.peak_mb:.1f} MB; "
              f"ratio {result['ratio']:.3f} (target <= 1.2)")


if __name__ == "__main__":
    main()
