"""Start-up: wall and CPU time of `cablegram code` on one short report, models and all (target: under 3 s).

Usage: python benchmarks/startup.py [--runs 5] [--json]
CPU time (user + system of the child) is what the run costs on an idle core; wall time also shows the
machine's load at the moment of measuring.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORT = ("Ministers meet in Lisbon\n\n"
          "LISBON, March 3 (Lantern News) - The foreign ministers of Portugal and Morocco met in Lisbon on Monday "
          "and agreed to hold further talks on fisheries next month.\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    exe = shutil.which("cablegram") or str(Path(sys.executable).with_name("cablegram"))
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "short.txt")
        path.write_text(REPORT, encoding="utf-8")
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([exe, "code", str(path)], check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    result = {"runs": args.runs, "wall_s": {"min": round(min(walls), 2), "median": round(statistics.median(walls), 2)},
              "cpu_s": {"min": round(min(cpus), 2), "median": round(statistics.median(cpus), 2)},
              "load_average": [round(x, 2) for x in os.getloadavg()]}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"cablegram code on one short file, {args.runs} runs: wall min {result['wall_s']['min']} s, median "
              f"{result['wall_s']['median']} s; CPU min {result['cpu_s']['min']} s, median {result['cpu_s']['median']} s;"
              f" load average {result['load_average']}")


if __name__ == "__main__":
    main()
