"""Derive src/cablegram/data/cameo_roots.tsv from the PLOVER codebook's CAMEO-to-PLOVER table.

The codebook (plover_manual.tex, table "PLOVER equivalents to CAMEO cue categories") maps each two-digit
CAMEO cue category to a PLOVER type. A type gets a CAMEO root code only when the mapping is one to one:
exactly one cue category leads to the type and that category leads to no other type (so YIELD, split into
CONCEDE and RETREAT, and the several categories folded into ACCUSE and ASSAULT, get none). The table's
last row still names FIGHT, the draft's old word for ASSAULT; it is read as ASSAULT.

Usage: python scripts/cameo_roots.py [--manual ../shared/data/plover_manual.tex] [--out PATH]
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from cablegram.models import EVENT_TYPES

OUT = Path(__file__).resolve().parent.parent / "src" / "cablegram" / "data" / "cameo_roots.tsv"
ROW = re.compile(r"^\s*(\d\d)\s*&[^&]*&\s*([A-Z]+)\b")
OLD_NAMES = {"FIGHT": "ASSAULT"}


def cue_table(tex: str) -> list[tuple[str, str]]:
    """(CAMEO cue category, PLOVER type) for each row of the codebook's translation table."""
    start = tex.index(r"\label{ssec:ctp}")
    body = tex[start:tex.index(r"\end{tabular}", start)]
    rows = [(m[1], OLD_NAMES.get(m[2], m[2])) for line in body.splitlines() if (m := ROW.match(line))]
    unknown = {plover for _root, plover in rows} - set(EVENT_TYPES)
    if unknown:
        raise SystemExit(f"the table names types that are not PLOVER 2.0 types: {sorted(unknown)}")
    return rows


def one_to_one(rows: list[tuple[str, str]]) -> dict[str, str]:
    """PLOVER type -> CAMEO root, for the types whose mapping is one to one."""
    roots, types = defaultdict(set), defaultdict(set)
    for root, plover in rows:
        roots[plover].add(root)
        types[root].add(plover)
    return {plover: next(iter(rs)) for plover, rs in roots.items()
            if len(rs) == 1 and len(types[next(iter(rs))]) == 1}


def main() -> None:
    """Read the codebook, write the TSV with a provenance header."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manual", default="../shared/data/plover_manual.tex")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    mapping = one_to_one(cue_table(Path(args.manual).read_text(encoding="utf-8")))
    lines = ["# PLOVER type <TAB> CAMEO root code, where the PLOVER codebook's CAMEO-to-PLOVER table maps one to one.",
             "# Derived by scripts/cameo_roots.py from the PLOVER 2.0 codebook (openeventdata/PLOVER, CC BY-SA 4.0).",
             *(f"{plover}\t{root}" for plover, root in sorted(mapping.items(), key=lambda kv: kv[1]))]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(mapping)} types with a one-to-one CAMEO root written to {args.out}")


if __name__ == "__main__":
    main()
