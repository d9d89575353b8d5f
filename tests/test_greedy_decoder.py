"""The Python-stepped parser and entity recogniser give exactly spaCy's own parses and entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from cablegram.bench_corpus import articles
from cablegram.coding.prefilter import blank_unneeded, load_filter
from cablegram.nlp.greedy_decoder import GreedyDecoder
from cablegram.nlp import load_spacy
from cablegram.normalize import normalize

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
WORDS = ["The", "minister", "met", "Lavrov", "in", "Moscow", "on", "Monday", ".", ",", "said", "he", "would",
         "visit", "Washington", "\n", "  ", "U.S.", "NATO", "talks", "ended", "?", "\"", "and", "Iran", "-", "5"]


def _annotations(doc) -> list:
    return [(t.text, t.dep_, t.head.i, t.is_sent_start, t.ent_iob_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def pipelines(shipped_spacy):
    return shipped_spacy, load_spacy()


def _texts() -> list[str]:
    texts = [d.text for d in articles(60, seed=11)]
    selector = load_filter()
    texts += [blank_unneeded(normalize(t).text, selector)[0] for t in texts[:30]]  # what the coder parses
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return texts + ["", " ", "\n\n", "Talks.", "Russia"]


def test_the_pipeline_steps_its_parser_and_recogniser_in_python(pipelines):
    plain, fast = pipelines
    assert isinstance(fast.get_pipe("parser"), GreedyDecoder) and isinstance(fast.get_pipe("ner"), GreedyDecoder)
    assert not isinstance(plain.get_pipe("parser"), GreedyDecoder)
    assert fast.get_pipe("ner").labels == plain.get_pipe("ner").labels


@pytest.mark.parametrize("batch_size", [1, 7, 64, 150])  # 150: decoded in parts of 64 and 33
def test_same_parses_and_entities_as_spacy_on_news_text(pipelines, batch_size):
    plain, fast = pipelines
    texts = _texts()
    expected = [_annotations(d) for d in plain.pipe(texts, batch_size=batch_size)]
    assert [_annotations(d) for d in fast.pipe(texts, batch_size=batch_size)] == expected
    assert any(e for doc in expected for *_, e in doc), "the texts name entities"


def test_same_result_one_document_at_a_time(pipelines):
    plain, fast = pipelines
    for text in _texts()[:10]:
        assert _annotations(fast(text)) == _annotations(plain(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join), min_size=1, max_size=6))
def test_same_result_on_any_word_sequence(pipelines, texts):
    plain, fast = pipelines
    assert [_annotations(d) for d in fast.pipe(texts)] == [_annotations(d) for d in plain.pipe(texts)]


def test_a_blank_line_ends_a_sentence():
    """A headline with no full stop is not read into the lead: the lead keeps its own subject."""
    doc = load_spacy()("Ankara summons envoy as row deepens\n\nTurkey summoned the Dutch ambassador on Monday.")
    sents = list(doc.sents)
    assert [s.text.strip() for s in sents] == ["Ankara summons envoy as row deepens",
                                               "Turkey summoned the Dutch ambassador on Monday."]
    assert next(t for t in sents[1] if t.text == "Turkey").dep_ == "nsubj"
