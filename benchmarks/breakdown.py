"""Where coding time goes, in one process on the generated feed: plain spaCy on the full texts; the coder's
spaCy pipeline (indexed attribute ruler, Python-stepped parser and recogniser) on the same full texts, which
separates what the faster pipeline gains from what the prefilter gains; that pipeline on the prefiltered
texts; the whole coder with and without the event-type classifier; and the learned coder
(`--extractor learned`, which parses every sentence and runs the classifier on every chosen pair).

Usage: python benchmarks/breakdown.py [--docs 300] [--rounds 2] [--paths PATH...]
(--paths: real reports, files or directories, instead of the generated feed)
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("CABLEGRAM_THREADS", "1")

from cablegram.bench_corpus import articles  # noqa: E402
from cablegram.coding.coder import Coder  # noqa: E402
from cablegram.coding.prefilter import blank_unneeded, load_filter  # noqa: E402
from cablegram.documents import iter_documents  # noqa: E402
from cablegram.extract.coder import LearnedCoder  # noqa: E402
from cablegram.models import Skipped  # noqa: E402
from cablegram.nlp import load_spacy  # noqa: E402
from cablegram.normalize import normalize  # noqa: E402


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--paths", nargs="+", help="code these reports instead of generated articles")
    args = ap.parse_args()
    coder, plain, learned = Coder(), Coder(use_classifier=False), LearnedCoder()
    nlp, selector, baseline = coder.nlp, load_filter(), load_spacy(plain=True)
    docs = ([d for d in iter_documents(args.paths) if not isinstance(d, Skipped)] if args.paths
            else list(articles(args.docs)))
    bodies = [d.text[d.body_start:] for d in docs]
    list(coder.code_stream(articles(8, seed=1)))
    list(plain.code_stream(articles(8, seed=1)))
    list(learned.code_stream(articles(8, seed=1)))
    filtered = [blank_unneeded(normalize(b).text, selector) for b in bodies]
    share = sum(n for _, n in filtered) / sum(len(t) for t, _ in filtered)
    print(f"{len(docs)} docs, {sum(len(b.split()) for b in bodies)} words; prefilter blanks {share:.0%} of the text")
    for r in range(args.rounds):
        full = seconds(lambda: list(baseline.pipe(bodies)))
        same = seconds(lambda: list(nlp.pipe(bodies, batch_size=64)))
        kept = seconds(lambda: list(nlp.pipe([t for t, _ in filtered], batch_size=64)))
        prep = seconds(lambda: [blank_unneeded(normalize(b).text, selector) for b in bodies])
        total = seconds(lambda: list(coder.code_stream(docs)))
        untyped = seconds(lambda: list(plain.code_stream(docs)))
        trained = seconds(lambda: list(learned.code_stream(docs)))
        print(f"round {r + 1}: plain spaCy {full:.1f} s | coder's spaCy on the full text {same:.1f} s "
              f"(ratio {full / same:.2f}) | coder {total:.1f} s (ratio {full / total:.2f}) = "
              f"normalise+prefilter {prep:.1f} + spaCy on kept text {kept:.1f} + coding {max(untyped - prep - kept, 0):.1f}"
              f" + classifier {max(total - untyped, 0):.1f} | learned coder {trained:.1f} s (ratio "
              f"{full / trained:.2f})")


if __name__ == "__main__":
    main()
