"""Properties of the readers on generated text: whatever the bytes, the text is read unchanged (or the record is
skipped with a reason), and every offset handed on points into the original text."""

from __future__ import annotations

import io
import json
import sys

from corpus_gen import report
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cablegram.coding.coder import Coder
from cablegram.documents import document_from_text, iter_documents
from cablegram.models import Document, Skipped

# English-looking text with arbitrary characters between the words: control characters, curly quotes,
# zero-width and non-Latin characters, CR/LF line ends. No NUL and no unpaired surrogates (refused by design).
PIECE = st.text(st.characters(exclude_characters="\0", exclude_categories=("Cs",)), max_size=6)
WORD = st.sampled_from(["the", "of", "and", "MOSCOW", "said", "Talks", "in", "a", "\n", "\r\n", " ", "—", "“", "”",
                        "Title: x\n", "Date: 2025-03-01\n", "(Reuters) -", "Paris", "met", "\t", "\x0b"])
TEXT = st.lists(st.one_of(WORD, WORD, PIECE), min_size=1, max_size=60).map(" the ".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def only(path) -> Document | Skipped:
    items = list(iter_documents([path]))
    assert len(items) == 1, items
    return items[0]


def check(item: Document | Skipped, original: str, title_from_text: bool = True) -> None:
    """A document carries the original text and sane offsets; a skip is only for a blank text."""
    if isinstance(item, Skipped):
        assert not original.strip() and "empty" in item.reason, (item, original)
        return
    assert item.text == original
    assert 0 <= item.body_start <= len(original)
    if title_from_text and item.title is not None and "Title:" not in original:
        assert item.title in original


@SETTINGS
@given(TEXT)
def test_document_from_text_keeps_the_text(original):
    check(document_from_text(original, "d"), original)


@SETTINGS
@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_text_files_read_back_exactly(tmp_path, original, encoding):
    assume(not original.startswith("\ufeff"))  # at the start of a file, U+FEFF is the byte-order mark, not text
    path = tmp_path / "r.txt"
    path.write_bytes(original.encode(encoding))
    check(only(path), original)


@SETTINGS
@given(TEXT, st.one_of(st.none(), TEXT))
def test_json_records_read_back_exactly(tmp_path, original, title):
    line = json.dumps({"id": "x", "text": original, "title": title})
    path = tmp_path / "r.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    item = only(path)
    if isinstance(item, Skipped) and original.strip():
        assert "empty" not in item.reason
        return
    check(item, original, title_from_text=title is None)
    (tmp_path / "r.json").write_text(line, encoding="utf-8")
    check(only(tmp_path / "r.json"), original, title_from_text=title is None)


@SETTINGS
@given(TEXT)
def test_standard_input_reads_back_exactly(monkeypatch, original):
    assume(not original.startswith("\ufeff"))  # at the start of the input, U+FEFF is the byte-order mark, not text
    class Stdin:
        buffer = io.BytesIO(original.encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", Stdin())
    item = only("-")
    if isinstance(item, Document) and item.id == "stdin":
        check(item, original)


NOISE = st.sampled_from(["\x07", "\x1b[0m", "  ", "\u200b", "“", "’", "\x0c", "\u00a0", "\r\n"])


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 500), st.lists(st.tuples(st.integers(0, 400), NOISE), max_size=6))
def test_coded_mentions_point_into_the_original(n, insertions):
    """Reports with noise inserted anywhere: every mention is a non-empty span of the body of the original."""
    text = report(n)
    for pos, noise in sorted(insertions, reverse=True):
        text = text[:pos] + noise + text[pos:]
    doc = document_from_text(text, "p")
    for event in Coder().code(doc):
        for m in event.mentions:
            assert doc.body_start <= m.start < m.end <= len(text)
            assert m.sentence == text[m.start:m.end] and m.sentence.strip()
            assert m.trigger and m.trigger.casefold().replace("’", "'") in \
                text[m.start:m.end].casefold().replace("’", "'")
