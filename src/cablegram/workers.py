"""Code documents in several worker processes, in input order, with a bounded number of documents in flight.

Each worker loads the models once and codes chunks of documents with `Coder.code_stream`; the parent reads
the input lazily and yields results in the order the documents came in, so whatever consumes them (the
output writer, the one process writing the store) sees the same stream as with a single process.
"""

from __future__ import annotations

import multiprocessing
from contextlib import contextmanager
from collections import deque
from itertools import islice
from typing import Callable, Iterable, Iterator

from .models import Document, Event

_coder = None


EXTRACTORS = ("lexicon", "learned")


def make_coder(extractor: str = "lexicon", use_classifier: bool = True):
    """The coder an extractor names: the trigger-lexicon Coder (the default) or the learned one
    (docs/extraction.md)."""
    if extractor == "learned":
        from .extract.coder import LearnedCoder

        return LearnedCoder()
    if extractor != "lexicon":
        raise ValueError(f"the extractor must be one of {', '.join(EXTRACTORS)}, not {extractor!r}")
    from .coding.coder import Coder

    return Coder(use_classifier=use_classifier)


def _start_worker(use_classifier: bool, extractor: str) -> None:
    global _coder
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _coder = make_coder(extractor, use_classifier)


def _code_chunk(docs: list[Document]) -> list[tuple[Document, list[Event] | None, Exception | None]]:
    failures: dict[int, Exception] = {}
    coded = {id(d): evs for d, evs in _coder.code_stream(docs, on_error=lambda d, e: failures.__setitem__(id(d), e))}
    return [(d, coded.get(id(d)), failures.get(id(d))) for d in docs]


class ParallelCoder:
    """The `Coder.code_stream` interface over a pool of worker processes."""

    def __init__(self, workers: int, chunk: int = 8, use_classifier: bool = True, extractor: str = "lexicon"):
        self.workers, self.chunk = workers, chunk
        ctx = multiprocessing.get_context("spawn")  # workers load their own models; nothing inherited
        self.pool = ctx.Pool(workers, initializer=_start_worker, initargs=(use_classifier, extractor))

    def code_stream(self, docs: Iterable[Document],
                    on_error: Callable[[Document, Exception], None] | None = None,
                    ) -> Iterator[tuple[Document, list[Event]]]:
        """(document, events) in input order; at most 2 chunks per worker are queued at a time."""
        it = iter(docs)
        pending: deque = deque()

        def submit() -> bool:
            chunk = list(islice(it, self.chunk))
            if chunk:
                pending.append(self.pool.apply_async(_code_chunk, (chunk,)))
            return bool(chunk)

        while len(pending) < 2 * self.workers and submit():
            pass
        while pending:
            results = pending.popleft().get()
            submit()
            for doc, events, exc in results:
                if exc is not None:
                    if on_error is None:
                        raise exc
                    on_error(doc, exc)
                else:
                    yield doc, events

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()
        self.pool.join()

    def __enter__(self) -> "ParallelCoder":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.pool.terminate()


@contextmanager
def open_coder(workers: int = 1, extractor: str = "lexicon"):
    """The extractor's coder in this process for one worker, else a ParallelCoder with `workers` processes."""
    if workers <= 1:
        yield make_coder(extractor)
    else:
        with ParallelCoder(workers, extractor=extractor) as coder:
            yield coder
