"""Long documents coded in pieces: where the cuts fall, that every piece's events point into the original
text, and that a long report is coded like the same text in separate reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablegram.coding.coder import Coder
from cablegram.documents import MAX_TEXT_CHARS, document_from_text
from cablegram.models import Document
from cablegram.pieces import PIECE_CHARS, code_in_pieces, spans, split_document

REPORTS = [
    "France and Germany signed a fisheries agreement in Paris on Monday. ",
    "India expelled two Pakistani diplomats on Tuesday, the foreign ministry said. ",
    "Japan's foreign minister met his South Korean counterpart in Tokyo on Wednesday. ",
    "Brazil accused Argentina of breaking the trade accord on Thursday. ",
]


@pytest.fixture(scope="module")
def coder():
    return Coder()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n?!X"), max_size=400), st.integers(5, 60))
def test_spans_cover_the_text_in_order_and_keep_to_the_limit(text, limit):
    cut = spans(text, 0, len(text), limit)
    assert cut[0][0] == 0 and cut[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(cut, cut[1:]))
    assert all(e - s <= limit for s, e in cut)


def test_cuts_fall_at_paragraphs_then_sentences_then_spaces():
    text = "One two. Three four.\n\nFive six seven."
    assert spans(text, 0, len(text), 24) == [(0, 22), (22, len(text))]
    assert spans(text, 0, 20, 12) == [(0, 9), (9, 20)]
    assert spans("aaaa bbbb cccc", 0, 14, 6) == [(0, 5), (5, 10), (10, 14)]
    assert spans("abcdefghij", 0, 10, 4) == [(0, 4), (4, 8), (8, 10)]


def test_a_short_report_is_one_piece_and_a_long_one_many():
    short = Document("s", "A" * PIECE_CHARS)
    assert split_document(short) == [short]
    long = Document("l", "x" * 10 + " ".join(REPORTS) * 200, body_start=10)
    pieces = split_document(long)
    assert len(pieces) > 1 and pieces[0].body_start == 10 and pieces[-1].body_end == len(long.text)
    assert all(p.text is long.text and p.body_end - p.body_start <= PIECE_CHARS for p in pieces)


def test_a_long_single_paragraph_codes_like_separate_reports(coder):
    text = "".join(REPORTS) * 60  # one paragraph of about 17,000 characters
    long = Document("long", "HEADLINE\n\n" + text, feed_date="2025-05-16", body_start=10)
    assert len(split_document(long)) == 2
    [(doc, events)] = list(coder.code_stream([long]))
    assert doc is long
    for ev in events:
        m = ev.mentions[0]
        assert long.text[m.start:m.end] == m.sentence and m.start >= 10
    alone = {(e.event_type, e.actor.country, e.recipient.country if e.recipient else None, e.date)
             for r in REPORTS for e in coder.code(Document("r", r, feed_date="2025-05-16"))}
    together = {(e.event_type, e.actor.country, e.recipient.country if e.recipient else None, e.date) for e in events}
    assert together == alone
    assert max(ev.mentions[0].start for ev in events) > PIECE_CHARS  # the second piece was coded too


def test_order_and_failures_with_long_and_short_reports_mixed():
    """code_in_pieces over a stream function that codes each piece as its span and fails on the word
    'broken': documents come out whole, in order, and a failing piece fails its document once."""
    def stream(docs, on_error, batch_size):
        for d in docs:
            if "broken" in d.text[d.body_start:d.body_end]:
                on_error(d, ValueError("broken piece"))
            else:
                yield d, [(d.body_start, d.body_end)]

    short = Document("short", "a few words")
    long = Document("long", "word " * 5000)
    broken = Document("broken", "word " * 3000 + "broken " * 3 + "word " * 3000)
    failed = []
    out = list(code_in_pieces(stream, [short, long, broken, short], lambda d, e: failed.append(d.id), limit=4000))
    assert [d.id for d, _ in out] == ["short", "long", "short"]
    assert out[1][1] == [(s, e) for s, e in spans(long.text, 0, len(long.text), 4000)] and len(out[1][1]) == 7
    assert failed == ["broken"]


def test_the_reader_accepts_two_megabytes():
    assert MAX_TEXT_CHARS >= 2 * 1024 * 1024
    doc = document_from_text("".join(REPORTS) * 8000, "big")
    assert len(doc.text) > 2_000_000 and len(split_document(doc)) > 200
