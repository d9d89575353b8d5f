"""A drop-in for the spaCy attribute ruler's Matcher that looks patterns up by word and tag.

en_core_web_sm's attribute ruler sets POS, morphology and some lemmas from 179 token patterns. spaCy's
Matcher tries every pattern at every token, which costs about as much as the dependency parser; nearly
every pattern names the token's lower-case form or its tag, so a dictionary finds the few that can match.
The ruler itself (its ordering and its way of setting attributes) is untouched: only the matches come from
here, and they are the Matcher's matches (tests/test_attribute_matcher.py compares the two).
"""

from __future__ import annotations

import re
from typing import Any, Callable

Predicate = Callable[[Any], bool]
READ = {"LOWER": lambda t: t.lower_, "TAG": lambda t: t.tag_, "DEP": lambda t: t.dep_, "ORTH": lambda t: t.text,
        "IS_SPACE": lambda t: t.is_space}
KEY_ORDER = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")  # which attribute of a first token a pattern is filed by


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


class IndexedMatcher:
    """Finds the (match id, start, end) triples spaCy's Matcher would find for the ruler's patterns.

    Each pattern is filed under one attribute of its first token; for every value of that attribute met in
    text, the patterns whose test it passes are worked out once and remembered, so a token is only checked
    against the patterns that can start there."""

    def __init__(self, matcher, strings):
        self.original = matcher
        self.filed: dict[str, list] = {attr: [] for attr in KEY_ORDER}  # attr -> [(test, entry)]
        self.seen: dict[str, dict] = {attr: {} for attr in KEY_ORDER}  # attr -> value -> entries passing
        for key in range(len(matcher)):
            match_id = strings[str(key)]
            for tokens in matcher.get(str(key))[1]:
                if not tokens or any(set(spec) - set(READ) for spec in tokens):
                    raise UnsupportedPattern(f"pattern {tokens!r}")
                checks = tuple(tuple(_predicate(a, v) for a, v in spec.items()) for spec in tokens)
                attr = next(a for a in KEY_ORDER if a in tokens[0] or a == KEY_ORDER[-1])
                test = _test(tokens[0][attr]) if attr in tokens[0] else (lambda v: True)
                self.filed[attr].append((test, (match_id, checks)))
        self.used = [(attr, READ[attr], self.seen[attr], self.filed[attr]) for attr in KEY_ORDER if self.filed[attr]]

    def __call__(self, doc, allow_missing: bool = True, as_spans: bool = False):
        """The matches in `doc`, as (match id, start, end) like Matcher(doc, as_spans=False)."""
        out = set()
        n = len(doc)
        for i, tok in enumerate(doc):
            for _attr, read, seen, filed in self.used:
                value = read(tok)
                entries = seen.get(value)
                if entries is None:
                    entries = seen[value] = tuple(entry for test, entry in filed if test(value))
                for match_id, checks in entries:
                    end = i + len(checks)
                    if end > n:
                        continue
                    if all(p(tok) for p in checks[0]) and \
                            all(all(p(doc[i + k]) for p in preds) for k, preds in enumerate(checks[1:], 1)):
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
