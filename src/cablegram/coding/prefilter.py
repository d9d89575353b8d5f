"""Blank out sentences that cannot hold an event before the parser sees them.

A cheap sentence split and a word-form match against the trigger lexicon (every lemma with its inflections,
taken from the spaCy lemmatizer's own rules and exceptions) decide which sentences the coder needs. A sentence
is also kept when it names a titled person (the actor memory reads titles from it). Dropped sentences are
replaced by spaces of the same length, so every character offset of the text stays valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[A-Za-z]+")
# A sentence ends at . ! ? (optionally closed by a quote or bracket) before white space and a capital, digit or
# opening quote; or at a blank line. Whether it really ended is checked against the word before the stop.
BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
ABBREVIATIONS = frozenset("""
mr mrs ms dr st gen lt col maj sgt capt cmdr adm sen rep gov prof jr sr no nos vs etc inc corp co ltd bros
jan feb mar apr jun jul aug sep sept oct nov dec mt ft pt op fig approx dept est govt univ ave blvd rev hon
""".split())
MIN_WORDS = 4  # shorter pieces are fragments of a neighbour (headline bits, initials) and go with the next one


@dataclass(frozen=True)
class Filter:
    """Word forms that make a sentence worth parsing: trigger forms, and title words naming people."""

    triggers: frozenset[str]
    titles: frozenset[str]

    def keep(self, sentence: str) -> bool:
        """True when a sentence may hold an event trigger, or names someone (a capitalised word after the
        first) next to a title word, so the actor memory can learn who they are."""
        titled = named = False
        for k, m in enumerate(WORD.finditer(sentence)):
            word = m.group()
            w = word.lower()
            if w in self.triggers:
                return True
            titled = titled or w in self.titles
            named = named or (k > 0 and word[0].isupper() and w not in self.titles)
        return titled and named


def _stop_is_real(text: str, end: int) -> bool:
    """False when the full stop before `end` closes an abbreviation or an initial ("U.S.", "Mr.", "J.")."""
    j = end
    while j > 0 and text[j - 1] in "\"')] \t\n":
        j -= 1
    if j == 0 or text[j - 1] != ".":
        return True
    i = j - 1
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:j - 1]
    return not (len(word) <= 1 or "." in word or word.lower() in ABBREVIATIONS)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) character spans covering `text`, cut at probable sentence ends."""
    spans, start = [], 0
    for m in BOUNDARY.finditer(text):
        if m.group().count("\n") < 2 and not _stop_is_real(text, m.start()):
            continue
        if len(WORD.findall(text[start:m.start()])) < MIN_WORDS:
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def blank_unneeded(text: str, keep) -> tuple[str, int]:
    """`text` with every sentence `keep` rejects turned to spaces (line breaks stay); and how many characters
    were blanked."""
    parts, blanked = [], 0
    for start, end in split_sentences(text):
        piece = text[start:end]
        if keep(piece):
            parts.append(piece)
        else:
            parts.append(re.sub(r"[^\n]", " ", piece))
            blanked += end - start
    return "".join(parts), blanked


def inflections(lemma: str, rules: list[tuple[str, str]], exceptions: dict[str, list[str]]) -> set[str]:
    """Word forms the lemmatizer may reduce to `lemma`: the inverse of its suffix rules, its exceptions, and
    doubled final consonants (ban -> banned, banning)."""
    forms = {lemma}
    for old, new in rules:
        if lemma.endswith(new):
            forms.add(lemma[:len(lemma) - len(new)] + old)
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= {form for form, lemmas in exceptions.items() if lemma in lemmas}
    return forms


def _title_words() -> frozenset[str]:
    """Words of the role lexicon that name a role on their own ("minister", "envoy"), not glue ("of", "state")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from ..actors import TITLE_GLUE, _lexicon

    words = {w for phrase in _lexicon("roles.tsv") for w in re.findall(r"[a-z]+", phrase.lower())}
    return frozenset(w for w in words if len(w) > 2 and w not in TITLE_GLUE and w not in STOP_WORDS)


@lru_cache(maxsize=1)
def load_filter() -> Filter:
    """The filter for the loaded spaCy model's lemmatizer and the shipped trigger and role lexicons."""
    from ..nlp import load_spacy
    from .lexicon import trigger_words

    tables = load_spacy().get_pipe("lemmatizer").lookups
    rules_table, exc_table = tables.get_table("lemma_rules"), tables.get_table("lemma_exc")
    rules = [(old, new) for pos in ("verb", "noun") for old, new in rules_table.get(pos, [])]
    exceptions: dict[str, list[str]] = {}
    for pos in ("verb", "noun"):
        for form, lemmas in exc_table.get(pos, {}).items():
            exceptions.setdefault(form, []).extend(lemmas)
    forms = set()
    for lemma in trigger_words():
        forms |= inflections(lemma, rules, exceptions)
    return Filter(frozenset(forms), _title_words())
