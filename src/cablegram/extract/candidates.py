"""Candidate parties of a sentence: the noun phrases that name a political actor, and the ordered pairs of
them (plus each one alone) that the pair model scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from spacy.tokens import Span, Token

from ..coding.roles import party_span
from ..models import Party

NOUNISH = frozenset({"NOUN", "PROPN", "PRON"})
INNER_DEPS = frozenset({"compound", "flat"})


@dataclass
class Mention:
    """A noun phrase of the sentence that names a party: its head token, its words and what it resolves to."""

    head: Token
    span: Span
    party: Party | None

    @property
    def key(self) -> str:
        """What makes two mentions the same side: the country, else the words."""
        p = self.party
        return (p.country if p and p.country else self.span.text.lower())


def find_mentions(sent: Span, resolve: Callable[[Token, Span], Party | None]) -> list[Mention]:
    """Mentions of parties in a sentence, outermost phrase first: a country inside a resolved phrase ("Kenya's"
    in "Kenya's foreign minister") is part of that mention, not a second one."""
    found: list[Mention] = []
    covered: set[int] = set()
    heads = sorted((t for t in sent if t.pos_ in NOUNISH and t.dep_ not in INNER_DEPS),
                   key=lambda t: _depth(t))
    for tok in heads:
        if tok.i in covered:
            continue
        span = party_span(tok)
        party = resolve(tok, span)
        if party is None or not party.country:
            continue
        found.append(Mention(tok, span, party))
        covered.update(range(span.start, span.end))
    return sorted(found, key=lambda m: m.head.i)


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i:
        tok = tok.head
        d += 1
    return d


def pairs(mentions: list[Mention]) -> Iterator[tuple[Mention, Mention | None]]:
    """Every ordered pair of mentions of different sides, and every mention alone."""
    for a in mentions:
        yield a, None
        for b in mentions:
            if b is not a and b.key != a.key:
                yield a, b
