"""A drop-in for the spaCy attribute ruler's Matcher that remembers which patterns match each kind of token.

en_core_web_sm's attribute ruler sets POS, morphology and some lemmas from 179 token patterns. spaCy's
Matcher tries every pattern at every token, which costs about as much as the dependency parser; but whether
a pattern matches a token depends only on its text, tag and dependency label, which repeat endlessly.
The ruler itself (its ordering and its way of setting attributes) is untouched: only the matches come from
here, and they are the Matcher's matches (tests/test_attribute_matcher.py compares the two).
"""

from __future__ import annotations

import re
from typing import Any, Callable

Predicate = Callable[[Any], bool]
READ = {"LOWER": lambda t: t.lower_, "TAG": lambda t: t.tag_, "DEP": lambda t: t.dep_, "ORTH": lambda t: t.text,
        "IS_SPACE": lambda t: t.is_space}


class UnsupportedPattern(ValueError):
    """A pattern uses Matcher features this stand-in does not reproduce (operators, other attributes)."""


def _test(value: Any) -> Callable[[Any], bool]:
    """The Matcher's test of one attribute value: equal, IN, NOT_IN or REGEX."""
    if not isinstance(value, dict):
        return lambda v: v == value
    if set(value) == {"IN"}:
        allowed = frozenset(value["IN"])
        return lambda v: v in allowed
    if set(value) == {"NOT_IN"}:
        banned = frozenset(value["NOT_IN"])
        return lambda v: v not in banned
    if set(value) == {"REGEX"}:
        rx = re.compile(value["REGEX"])
        return lambda v: rx.search(v) is not None
    raise UnsupportedPattern(repr(value))


def _predicate(attr: str, value: Any) -> Predicate:
    read, test = READ[attr], _test(value)
    return lambda t: test(read(t))


def _needed(spec: dict) -> list[tuple[str, str]] | None:
    """The (attribute, value) pairs one of which a token must have to pass `spec`, by its LOWER or TAG test
    (equal, or IN a list); None when neither test pins the value down."""
    for attr in ("LOWER", "TAG"):
        value = spec.get(attr)
        if isinstance(value, str):
            return [(attr, value)]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return [(attr, v) for v in value["IN"]]
    return None


class IndexedMatcher:
    """Finds the (match id, start, end) triples spaCy's Matcher would find for the ruler's patterns.

    Whether a pattern can start at a token depends only on the token's text, tag and dependency label, so
    for each such combination met in text the patterns that match there are worked out once and remembered
    (up to MEMORY combinations, then the memory starts afresh); only the rare patterns longer than one token
    look further."""

    MEMORY = 200_000

    def __init__(self, matcher, strings):
        self.original = matcher
        self.by_value: dict[tuple[str, str], list] = {}  # (LOWER or TAG, value its first token needs) -> patterns
        self.anywhere: list = []  # patterns whose first token needs no one word or tag
        for key in range(len(matcher)):
            match_id = strings[str(key)]
            for tokens in matcher.get(str(key))[1]:
                if not tokens or any(set(spec) - set(READ) for spec in tokens):
                    raise UnsupportedPattern(f"pattern {tokens!r}")
                entry = (match_id, tuple(tuple(_predicate(a, v) for a, v in spec.items()) for spec in tokens))
                needs = _needed(tokens[0])
                for need in needs or ():
                    self.by_value.setdefault(need, []).append(entry)
                if needs is None:
                    self.anywhere.append(entry)
        self.seen: dict[tuple[int, int, int], tuple[tuple, tuple]] = {}

    def _starting_at(self, tok) -> tuple[tuple, tuple]:
        """(ids of one-token patterns matching `tok`, longer patterns whose first token it matches)."""
        candidates = (*self.by_value.get(("LOWER", tok.lower_), ()), *self.by_value.get(("TAG", tok.tag_), ()),
                      *self.anywhere)
        starting = [(match_id, checks) for match_id, checks in candidates if all(p(tok) for p in checks[0])]
        return (tuple(m for m, checks in starting if len(checks) == 1),
                tuple((m, checks[1:]) for m, checks in starting if len(checks) > 1))

    def __call__(self, doc, allow_missing: bool = True, as_spans: bool = False):
        """The matches in `doc`, as (match id, start, end) like Matcher(doc, as_spans=False)."""
        from spacy.attrs import DEP, ORTH, TAG

        if len(self.seen) > self.MEMORY:
            self.seen.clear()
        out = set()
        n = len(doc)
        for i, key in enumerate(map(tuple, doc.to_array([ORTH, TAG, DEP]).tolist())):
            found = self.seen.get(key)
            if found is None:
                found = self.seen[key] = self._starting_at(doc[i])
            singles, longer = found
            for match_id in singles:
                out.add((match_id, i, i + 1))
            for match_id, rest in longer:
                end = i + 1 + len(rest)
                if end <= n and all(all(p(doc[i + k]) for p in preds) for k, preds in enumerate(rest, 1)):
                    out.add((match_id, i, end))
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))

    def get(self, key):
        """The patterns stored under `key` (the ruler lists its patterns through this)."""
        return self.original.get(key)

    def __len__(self) -> int:
        return len(self.original)


def index_attribute_ruler(nlp) -> None:
    """Give the pipeline's attribute ruler the indexed matcher (nothing happens without a ruler)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.matcher = IndexedMatcher(ruler.matcher, ruler.vocab.strings)
