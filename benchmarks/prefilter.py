"""Does the pre-parse filter change any event? Codes reports with and without it and compares every field.

Usage: python benchmarks/prefilter.py PATH... (files or directories, e.g. ../shared/seeds eval/dev corpus/sample)
Prints the share of text the filter blanks and each document whose events differ (exit status 1 if any do).
"""

from __future__ import annotations

import json
import sys

from cablegram.coding.coder import Coder
from cablegram.coding.prefilter import blank_unneeded, load_filter
from cablegram.documents import iter_documents
from cablegram.models import Skipped
from cablegram.normalize import normalize


def main(paths: list[str]) -> int:
    docs = [d for d in iter_documents(paths) if not isinstance(d, Skipped)]
    selector = load_filter()
    texts = [normalize(d.text[d.body_start:]).text for d in docs]
    blanked = sum(blank_unneeded(t, selector)[1] for t in texts) / max(sum(len(t) for t in texts), 1)
    full = {d.id: [e.to_dict() for e in evs] for d, evs in Coder(prefilter=False).code_stream(docs)}
    kept = {d.id: [e.to_dict() for e in evs] for d, evs in Coder().code_stream(docs)}
    differ = [i for i in full if json.dumps(full[i], sort_keys=True) != json.dumps(kept.get(i), sort_keys=True)]
    events = sum(len(v) for v in full.values())
    print(f"{len(docs)} documents, {events} events; the filter blanks {blanked:.1%} of their text; "
          f"{len(differ)} document(s) with different events{': ' + ', '.join(differ) if differ else ''}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["../shared/seeds", "eval/dev", "corpus/sample"]))
