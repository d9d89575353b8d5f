"""The indexed attribute-ruler matcher finds exactly what spaCy's Matcher finds, so tokens get the same
POS, morphology and lemmas."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from spacy.tokens import Doc

from cablegram.nlp.attribute_matcher import IndexedMatcher, UnsupportedPattern
from cablegram.bench_corpus import articles
from cablegram.nlp import load_spacy

# Words and labels the model's patterns name (contractions, auxiliaries, expletives) mixed with plain ones.
WORDS = ["ai", "n't", "nt", "gon", "na", "got", "ta", "let", "'s", "c'm", "on", "y'", "y", "all", "there", "is",
         "are", "was", "'re", "do", "did", "'d", "have", "'ve", "be", "am", "'m", "that", "if", "it", "will",
         "nothin'", "nuthin'", "not", "the", "minister", "met", "Talks", "said", " ", "\n", "gets", "ask", "so"]
TAGS = ["VBP", "VBZ", "VBD", "VB", "VBN", "VBG", "TO", "DT", "WDT", "NN", "NNP", "PRP", "IN", "MD", "RB", "EX",
        "_SP", "JJ", "CC", ""]
DEPS = ["ROOT", "aux", "auxpass", "expl", "dobj", "pobj", "det", "quantmod", "advcl", "ccomp", "conj", "relcl",
        "xcomp", "nsubj", "neg", "dep", ""]


@pytest.fixture(scope="module")
def ruler():
    return load_spacy(plain=True).get_pipe("attribute_ruler")


@pytest.fixture(scope="module")
def indexed(ruler):
    return IndexedMatcher(ruler.matcher, ruler.vocab.strings)


def _matches(matcher, doc):
    return sorted(matcher(doc, allow_missing=True, as_spans=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TAGS), st.sampled_from(DEPS)), min_size=1,
                max_size=12))
def test_same_matches_as_spacy_on_any_tagged_sequence(ruler, indexed, tokens):
    doc = Doc(ruler.vocab, words=[w for w, _, _ in tokens])
    for tok, (_, tag, dep) in zip(doc, tokens):  # an empty label stays unset, as before the tagger or parser ran
        if tag:
            tok.tag_ = tag
        if dep:
            tok.dep_ = dep
    assert _matches(indexed, doc) == _matches(ruler.matcher, doc)


def test_same_annotations_as_the_plain_pipeline_on_news_text(shipped_spacy):
    plain, indexed = shipped_spacy, load_spacy()
    texts = [d.text for d in articles(40, seed=5)] + [
        "Y'all ain't gonna like it, but there's nothin' to fear: let's go, c'mon.",
        "He didn't say whether they'd come; she asked if it's over and we've gotta wait."]
    attrs = ("pos_", "tag_", "morph", "lemma_", "dep_")
    for a, b in zip(plain.pipe(texts), indexed.pipe(texts)):
        assert [[str(getattr(t, x)) for x in attrs] for t in a] == [[str(getattr(t, x)) for x in attrs] for t in b]


def test_patterns_it_cannot_reproduce_are_refused():
    from spacy.matcher import Matcher

    nlp = load_spacy(plain=True)
    matcher = Matcher(nlp.vocab)
    nlp.vocab.strings.add("0")
    matcher.add("0", [[{"LOWER": "a", "OP": "+"}]])
    with pytest.raises(UnsupportedPattern):
        IndexedMatcher(matcher, nlp.vocab.strings)


def test_the_memory_starts_afresh_when_full_and_matches_stay_the_same(ruler):
    small = IndexedMatcher(ruler.matcher, ruler.vocab.strings)
    small.MEMORY = 5
    nlp = load_spacy(plain=True)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(nlp.pipe(d.text for d in articles(6, seed=9)))
    for doc in docs:
        assert _matches(small, doc) == _matches(ruler.matcher, doc)
        assert len(small.seen) <= small.MEMORY + len(doc)
