"""Blank out sentences that cannot hold an event before the parser sees them.

A cheap sentence split and a word-form match against the trigger lexicon (every lemma with its inflections,
taken from the spaCy lemmatizer's own rules and exceptions) decide which sentences the coder needs. A document is
parsed only when one of its trigger sentences can have a country for a party: it names a place or an
international organisation, or it points back (a pronoun, a title, a titled person's name) and it or the
sentence before names one. In such a document, a sentence is also kept when it comes just before a trigger
sentence, introduces a titled person or names one, or names a place: pronoun resolution, the actor memory and
the document's main parties read them. Dropped sentences become white space of the same length, so every
character offset stays valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

WORD = re.compile(r"[A-Za-z]+")
# A sentence ends at . ! ? (optionally closed by a quote or bracket) before white space and a capital, digit or
# opening quote; or at a blank line. Whether it really ended is checked against the word before the stop.
BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
ABBREVIATIONS = frozenset("""
mr mrs ms dr st gen lt col maj sgt capt cmdr adm sen rep gov prof jr sr no nos vs etc inc corp co ltd bros
jan feb mar apr jun jul aug sep sept oct nov dec mt ft pt op fig approx dept est govt univ ave blvd rev hon
""".split())
CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december
""".split())
# Words that point back to a party named before: pronouns, and the two sides of a story.
LOOKS_BACK = frozenset({"it", "its", "they", "their", "them", "he", "his", "him", "she", "her", "both", "two",
                        "sides", "each"})
MIN_WORDS = 4  # shorter pieces are fragments of a neighbour (headline bits, initials) and go with the next one


@dataclass(frozen=True)
class Filter:
    """Word forms that make a sentence worth parsing: trigger forms, title words that introduce people, place
    names (countries, nationalities, capitals, big cities) and international organisations."""

    triggers: frozenset[str]
    titles: frozenset[str]
    is_place: Callable[[str], bool]
    needs: dict[str, frozenset[str]] = field(default_factory=dict)  # trigger form -> forms one of which it needs
    is_org: Callable[[str], bool] = lambda name: False

    def has_trigger(self, lower: set[str]) -> bool:
        """A trigger form is among the words (with a word its sense needs, when every sense of it needs one)."""
        return any(w not in self.needs or lower & self.needs[w] for w in lower & self.triggers)

    def names_place(self, words: list[str], known: Callable[[str], bool] | None = None) -> bool:
        """A capitalised word or pair of words names a country, nationality, capital or big city (or, with
        `known`, whatever that accepts)."""
        known = known or self.is_place
        caps = [w if w[0].isupper() else None for w in words]
        return any(w and (known(w) or (nxt and known(f"{w} {nxt}"))) for w, nxt in zip(caps, caps[1:] + [None]))

    def select(self, sentences: list[str]) -> list[bool]:
        """Which sentences of a document to parse: none when no trigger sentence can have a country for a party
        (see the module's docstring). Otherwise those that may hold a trigger, and the sentence before each
        (pronouns look back one sentence); those that introduce someone with a title (a title word and a
        capitalised word after the first) or mention a name such a sentence introduced, for the actor memory;
        and those that name a place, which count towards the main parties."""
        words = [[m.group() for m in WORD.finditer(s)] for s in sentences]
        lowers = [{w.lower() for w in ws} for ws in words]
        triggered = [self.has_trigger(_trigger_words(ws)) for ws in words]
        if not any(triggered):
            return triggered
        names: set[str] = set()
        for ws, lower in zip(words, lowers):
            if lower & self.titles:
                names.update(w for w in ws[1:] if w[0].isupper() and w.lower() not in self.titles
                             and w.lower() not in CALENDAR)
        places = [self.names_place(ws) for ws in words]
        actors = [p or self.names_place(ws, self.is_org) for p, ws in zip(places, words)]  # a party with a country
        points_back = [bool(lower & LOOKS_BACK or lower & self.titles) or any(w in names for w in ws)
                       for ws, lower in zip(words, lowers)]
        if not any(t and (a or (p and i > 0 and actors[i - 1]))
                   for i, (t, a, p) in enumerate(zip(triggered, actors, points_back))):
            return [False] * len(sentences)
        before = triggered[1:] + [False]  # pronouns look back, and the parse of a sentence reads the words before it
        return [t or b or any(w in names for w in ws) or place
                for t, b, ws, place in zip(triggered, before, words, places)]


def _trigger_words(words: list[str]) -> set[str]:
    """Lower-cased words that may be trigger forms: a capitalised month or day ("in March") is a date."""
    return {w.lower() for w in words if not (w[0].isupper() and w.lower() in CALENDAR)}


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


def blank_unneeded(text: str, selector: Filter) -> tuple[str, int]:
    """`text` with every sentence the filter rejects turned to white space of the same length (a line break at
    each end, so the parser sees a boundary); and how many characters were blanked."""
    spans = split_sentences(text)
    parts, blanked = [], 0
    for (start, end), keep in zip(spans, selector.select([text[a:b] for a, b in spans])):
        piece = text[start:end]
        if keep:
            parts.append(piece)
        else:
            parts.append("\n" + " " * (len(piece) - 2) + "\n" if len(piece) > 1 else " ")
            blanked += end - start
    return "".join(parts), blanked


def inflections(lemma: str, rules: list[tuple[str, str]], exceptions: dict[str, set[str]]) -> set[str]:
    """Word forms the lemmatizer may reduce to `lemma`: the inverse of its suffix rules, its exceptions, and
    doubled final consonants (ban -> banned, banning)."""
    forms = {lemma}
    for old, new in rules:
        if lemma.endswith(new):
            forms.add(lemma[:len(lemma) - len(new)] + old)
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms | exceptions.get(lemma, set())


@lru_cache(maxsize=1)
def load_filter() -> Filter:
    """The filter for the loaded spaCy model's lemmatizer and the shipped trigger lexicon."""
    from ..nlp import load_spacy
    from .lexicon import load_lexicon

    tables = load_spacy().get_pipe("lemmatizer").lookups
    rules_table, exc_table = tables.get_table("lemma_rules"), tables.get_table("lemma_exc")
    rules = [(old, new) for pos in ("verb", "noun") for old, new in rules_table.get(pos, [])]
    exceptions: dict[str, set[str]] = {}  # lemma -> irregular forms
    for pos in ("verb", "noun"):
        for form, lemmas in exc_table.get(pos, {}).items():
            for lemma in lemmas:
                exceptions.setdefault(lemma, set()).add(form)
    forms, needs = set(), {}
    by_lemma: dict[str, list] = {}
    for (lemma, _pos), entries in load_lexicon().items():
        by_lemma.setdefault(lemma, []).extend(entries)
    for lemma, entries in by_lemma.items():
        own = inflections(lemma.split()[0], rules, exceptions)  # "call off": the forms of "call"
        forms |= own
        if all(e.context for e in entries):
            context = frozenset().union(*(inflections(c, rules, exceptions) for e in entries for c in e.context))
            for form in own:
                needs[form] = needs.get(form, frozenset()) | context
    return Filter(frozenset(forms), _title_words(), _is_place, needs, _is_org)


@lru_cache(maxsize=65536)
def _is_place(name: str) -> bool:
    from .. import gazetteer as gz

    return bool(gz.country_by_name(name) or gz.country_by_demonym(name) or gz.capital_country(name)
                or gz.is_city(name, min_population=100_000))


def _is_org(name: str) -> bool:
    from .. import gazetteer as gz

    return gz.igo_code(name) is not None


def _title_words() -> frozenset[str]:
    """Words of the role lexicon that name a role on their own ("minister", "envoy"), not glue ("of", "state")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from ..actors import TITLE_GLUE, _lexicon

    words = {w for phrase in _lexicon("roles.tsv") for w in re.findall(r"[a-z]+", phrase.lower())}
    return frozenset(w for w in words if len(w) > 2 and w not in TITLE_GLUE and w not in STOP_WORDS)
