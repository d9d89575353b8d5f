"""Long documents coded in pieces: paragraphs, or sentence windows inside a huge paragraph.

The parser and the coder's per-document steps grow faster than the text inside one document, so a report
longer than PIECE_CHARS is cut into pieces of at most that size and each piece is coded as a document of its
own: time grows linearly with length and memory stays bounded. A piece is the same `Document` with
`body_start`/`body_end` set to its span, so every offset still points into the original text. What a
report-wide step learns (people named earlier, the report's main pair of countries, repeated mentions of one
happening) stays inside its piece.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import groupby
from typing import Callable, Iterable, Iterator

from .models import Document, Event

PIECE_CHARS = 10_000  # a piece's length at most; a typical news report is shorter, so it stays whole
PIECE_BATCH = 4  # pieces parsed together: about as much text as a batch of 64 short reports
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_SPACE = re.compile(r"\s+")


def spans(text: str, start: int, end: int, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """[start, end) of `text` cut into spans of at most `limit` characters, at paragraph breaks first,
    then at sentence ends, then at white space, and only as a last resort inside a word."""
    out: list[tuple[int, int]] = []
    for pattern in (_PARAGRAPH_END, _SENTENCE_END, _SPACE, None):
        out = _pack(text, start, end, pattern, limit, out)
        if all(e - s <= limit for s, e in out):
            return out
    return out


def _pack(text: str, start: int, end: int, pattern: re.Pattern | None, limit: int,
          previous: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Re-cut the spans still too long at the breaks `pattern` finds (fixed-size cuts when None), joining
    neighbouring parts greedily up to `limit`."""
    spans_in = previous or [(start, end)]
    out = []
    for s, e in spans_in:
        if e - s <= limit:
            out.append((s, e))
            continue
        if pattern is None:
            cuts = list(range(s + limit, e, limit))
        else:
            cuts = [m.end() for m in pattern.finditer(text, s, e) if s < m.end() < e]
        piece_start = last = s
        for cut in cuts + [e]:
            if cut - piece_start > limit and last > piece_start:
                out.append((piece_start, last))
                piece_start = last
            last = cut
        out.append((piece_start, e))
    return out


def split_document(doc: Document, limit: int = PIECE_CHARS) -> list[Document]:
    """The document itself when its body fits in one piece, else one Document per piece of its body."""
    end = len(doc.text) if doc.body_end is None else doc.body_end
    if end - doc.body_start <= limit:
        return [doc]
    return [replace(doc, body_start=s, body_end=e) for s, e in spans(doc.text, doc.body_start, end, limit)]


def _is_long(doc: Document, limit: int) -> bool:
    """Whether the document's body is longer than one piece; a document that is not text is not (coding
    it fails, and the failure is reported like any other)."""
    if not isinstance(doc.text, str):
        return False
    return (len(doc.text) if doc.body_end is None else doc.body_end) - doc.body_start > limit


def code_in_pieces(code_stream: Callable[..., Iterator[tuple[Document, list[Event]]]], docs: Iterable[Document],
                   on_error: Callable[[Document, Exception], None] | None = None, batch_size: int = 64,
                   limit: int = PIECE_CHARS) -> Iterator[tuple[Document, list[Event]]]:
    """`code_stream` over `docs`, in order: runs of ordinary documents stream through in batches of
    `batch_size`; a long one goes through on its own, PIECE_BATCH pieces at a time (a batch of pieces holds
    no more text than a batch of reports), and comes out whole with the events of all its pieces. A piece
    that fails fails its document: `on_error` hears of it once, with the whole document."""
    for long, run in groupby(docs, key=lambda d: _is_long(d, limit)):
        if not long:
            yield from code_stream(run, on_error=on_error, batch_size=batch_size)
            continue
        for doc in run:
            problems: list[Exception] = []

            def piece_failed(_piece: Document, exc: Exception) -> None:
                if on_error is None:
                    raise exc
                problems.append(exc)

            events = [ev for _piece, evs in code_stream(split_document(doc, limit), on_error=piece_failed,
                                                        batch_size=PIECE_BATCH) for ev in evs]
            if problems:
                on_error(doc, problems[0])
            else:
                yield doc, events
