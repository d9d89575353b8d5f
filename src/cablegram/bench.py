"""`cablegram bench`: coding speed and peak memory next to a plain spaCy `nlp.pipe` pass over the same texts.

Each measurement runs in a fresh process (so its peak memory is its own), after models are loaded and a
short warm-up; the documents are generated inside that process one at a time. Plain spaCy and coding
passes alternate `repeat` times in one run, so both see the same machine load; the ratio is taken per round.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import statistics
import time
from dataclasses import asdict, dataclass

WARM_UP = 8


@dataclass
class Pass:
    """One timed pass over the corpus."""

    name: str
    docs: int
    words: int
    seconds: float
    peak_mb: float  # largest resident set of the measuring process (and, with workers, of one worker)
    workers_peak_mb: float = 0.0
    events: int = 0

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _bodies(n: int, seed: int):
    from .bench_corpus import articles

    for doc in articles(n, seed):
        yield doc.text[doc.body_start:]


def _spacy_pass(n: int, seed: int) -> Pass:
    """Plain en_core_web_sm, every component, default settings: `nlp.pipe` over the article bodies."""
    from .nlp import load_spacy

    nlp = load_spacy(plain=True)
    list(nlp.pipe(_bodies(WARM_UP, seed + 1)))
    words = 0

    def counted():
        nonlocal words
        for text in _bodies(n, seed):
            words += len(text.split())
            yield text

    start = time.perf_counter()
    for _doc in nlp.pipe(counted()):
        pass
    return Pass("spacy", n, words, time.perf_counter() - start, _peak_mb())


def _coder_pass(n: int, seed: int, workers: int) -> Pass:
    """The full coder (normalise, prefilter, parse, code, type) over the same documents."""
    from .bench_corpus import articles
    from .workers import open_coder

    words = events = 0

    def counted():
        nonlocal words
        for doc in articles(n, seed):
            words += len(doc.text[doc.body_start:].split())
            yield doc

    with open_coder(workers) as coder:
        list(coder.code_stream(articles(WARM_UP * max(workers, 1), seed + 1)))
        start = time.perf_counter()
        for _doc, evs in coder.code_stream(counted()):
            events += len(evs)
        seconds = time.perf_counter() - start
    return Pass("cablegram", n, words, seconds, _peak_mb(), _peak_mb(resource.RUSAGE_CHILDREN), events)


def _child(kind: str, n: int, seed: int, workers: int, queue) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("CABLEGRAM_THREADS", "1")
    try:
        result = _spacy_pass(n, seed) if kind == "spacy" else _coder_pass(n, seed, workers)
        queue.put(asdict(result))
    except BaseException as exc:  # reported to the parent, which fails with the reason
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def measure(kind: str, n: int, seed: int = 0, workers: int = 1) -> Pass:
    """Run one pass in a new process and return its figures."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(kind, n, seed, workers, queue))
    proc.start()
    result = queue.get()
    proc.join()
    if "error" in result:
        raise RuntimeError(f"{kind} pass failed: {result['error']}")
    return Pass(**result)


def run(docs: int = 1000, workers: int = 1, repeat: int = 1, seed: int = 0) -> dict:
    """Alternate plain spaCy and coding passes `repeat` times; figures per round and the median ratio."""
    rounds = []
    for _ in range(repeat):
        base = measure("spacy", docs, seed)
        ours = measure("cablegram", docs, seed, workers)
        rounds.append({"spacy": _row(base), "cablegram": _row(ours), "ratio": ours.docs_per_s / base.docs_per_s})
    return {"docs": docs, "workers": workers, "cpus": os.cpu_count(), "rounds": rounds,
            "median_ratio": statistics.median(r["ratio"] for r in rounds)}


def _row(p: Pass) -> dict:
    return {"docs_per_s": round(p.docs_per_s, 2), "words_per_s": round(p.words_per_s, 1),
            "seconds": round(p.seconds, 2), "peak_mb": round(p.peak_mb, 1),
            "workers_peak_mb": round(p.workers_peak_mb, 1), "words": p.words, "events": p.events}
