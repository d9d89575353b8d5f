"""Candidate parties of a sentence: the noun phrases that name a political actor, and the ordered pairs of
them (plus each one alone) that the pair model scores."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator

from spacy.tokens import Span, Token

from ..coding.roles import party_span
from ..models import Party

NOUNISH = frozenset({"NOUN", "PROPN", "PRON"})
INNER_DEPS = frozenset({"compound", "flat"})


BOTH_SIDES = re.compile(r"\b(both (sides|countries|governments|parties|leaders|nations|delegations|states)|"
                        r"the two (sides|countries|governments|parties|leaders|nations|delegations|states|allies|powers|"
                        r"neighbours|neighbors|capitals|presidents|ministers|foreign ministers|armies|militaries|men|"
                        r"women)|their (leaders|presidents|prime ministers|foreign ministers|defence ministers|"
                        r"defense ministers|envoys|delegations|negotiators)|the parties|the sides|each other|one another)"
                        r"\b", re.I)


@dataclass
class Mention:
    """A noun phrase of the sentence that names a party: its head token, its words and what it resolves to.
    A phrase naming both sides of the report at once ("the two governments") carries the second as `partner`."""

    head: Token
    span: Span
    party: Party | None
    partner: "Mention | None" = None

    @property
    def key(self) -> str:
        """What makes two mentions the same side: the country, else the words."""
        p = self.party
        return (p.country if p and p.country else self.span.text.lower())


class NamedSoFar:
    """The sides a report has named so far, most named first: what "the two sides" refers back to."""

    def __init__(self):
        self.counts: Counter[str] = Counter()
        self.parties: dict[str, Party] = {}

    def add(self, mentions: list[Mention]) -> None:
        for m in mentions:
            if m.partner is None and m.party is not None and m.party.country:
                self.counts[m.key] += 1
                self.parties.setdefault(m.key, m.party)

    def two(self) -> tuple[Party, Party] | None:
        top = self.counts.most_common(2)
        return (self.parties[top[0][0]], self.parties[top[1][0]]) if len(top) == 2 else None


def find_mentions(sent: Span, resolve: Callable[[Token, Span], Party | None],
                  both: tuple[Party, Party] | None = None) -> list[Mention]:
    """Mentions of parties in a sentence, outermost phrase first. A country inside a resolved phrase is part
    of that mention ("Kenya's" in "Kenya's foreign minister") unless it names another side ("its ambassador
    from Tehran"); another country listed with it ("the leaders of Chile, Peru and Bolivia") is a mention that
    stands where the phrase stands. "The two sides" names `both`, the two sides the report named most."""
    found: list[Mention] = []
    covering: dict[int, Mention] = {}
    heads = sorted((t for t in sent if t.pos_ in NOUNISH and t.dep_ not in INNER_DEPS), key=_depth)
    for tok in heads:
        outer = covering.get(tok.i)
        if outer is not None and (tok.pos_ == "PRON" or _same_name(tok, outer.head)):
            continue  # a word of the same name ("Congo" in "the Democratic Republic of the Congo")
        span = party_span(tok)
        if outer is None and both is not None and BOTH_SIDES.match(span.text):  # before "the governments" is read
            m = Mention(tok, span, both[0], Mention(tok, span, both[1]))  # as the last government named
            found.append(m)
            covering.update((i, m) for i in range(span.start, span.end))
            continue
        party = resolve(tok, span)
        if party is None or not party.country:
            if outer is None and tok.pos_ == "NOUN":
                owners = _modifier_countries(tok, resolve)  # "Ukrainian grain imports": Ukraine's
                found += [Mention(tok, span, p) for p in owners]
                if owners:
                    covering.update((i, found[-1]) for i in range(span.start, span.end))
            continue
        if outer is not None:
            if party.country in (outer.key, outer.partner.key if outer.partner else None):
                continue
            if tok.dep_ == "conj":  # listed with the phrase's own country: same place in the sentence
                tok, span = outer.head, outer.span
        m = Mention(tok, span, party)
        found.append(m)
        for i in range(span.start, span.end):
            covering.setdefault(i, m)
        found += [Mention(tok, span, other) for other in _joint(tok, resolve) if other.country != party.country]
    return sorted(found, key=lambda m: m.head.i)


def _same_name(tok: Token, other: Token) -> bool:
    """Both tokens lie in one named entity."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent is not None and ent.start <= other.i < ent.end


def _modifier_countries(head: Token, resolve: Callable[[Token, Span], Party | None]) -> list[Party]:
    """Countries named by the adjectives or proper nouns that modify a noun which is not itself a party
    ("Ukrainian grain imports", "the Chinese ship's conduct", each of "American and British warplanes"): whose
    thing it is."""
    mods = [c for c in head.subtree if c.i < head.i and c.pos_ in ("ADJ", "PROPN")
            and c.dep_ in ("amod", "compound", "nmod", "poss")]
    return _countries([m for c in mods for m in (c, *c.conjuncts) if m.i < head.i], resolve)


def _joint(head: Token, resolve: Callable[[Token, Span], Party | None]) -> list[Party]:
    """The countries of coordinated modifiers of one noun ("American and British warplanes", "Saudi and
    Iranian officials"): each is a side of its own, standing where the noun stands."""
    mods = [m for c in head.children if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("ADJ", "PROPN")
            for m in (c, *c.conjuncts)]
    parties = _countries(mods, resolve)
    return parties if len(parties) >= 2 else []


def _countries(words: list[Token], resolve: Callable[[Token, Span], Party | None]) -> list[Party]:
    """The parties with a country that single words resolve to, one per country, in order."""
    out: dict[str, Party] = {}
    for w in words:
        party = resolve(w, w.doc[w.i:w.i + 1])
        if party is not None and party.country:
            out.setdefault(party.country, party)
    return list(out.values())


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i:
        tok = tok.head
        d += 1
    return d


def pairs(mentions: list[Mention]) -> Iterator[tuple[Mention, Mention | None]]:
    """Every ordered pair of mentions of different sides that are not listed together, and every mention
    alone."""
    for a in mentions:
        yield a, None
        if a.partner is not None:
            continue  # "the two sides" acting: the pair is the phrase itself
        for b in mentions:
            if b is not a and b.partner is None and b.key != a.key and not listed_together(a, b):
                yield a, b


def listed_together(a: Mention, b: Mention) -> bool:
    """Two parties of one list of doers ("Poland, Hungary and Slovakia imposed", "the ministers of Estonia and
    Latvia flew"): they stand on one side of the act, and face each other only when the act is done together.
    A list elsewhere ("talks between A and B") is left to the pair model."""
    if not _one_list(a, b):
        return False
    first = a.head
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    return first.dep_ in ("nsubj", "nsubjpass")


def same_list(a: Mention, b: Mention) -> bool:
    """Two parties named in one list, in any position ("a mission of ECOWAS, the AU and the UN", "American and
    British warplanes"): what is done by or to one of them is done by or to each."""
    return a is not b and a.key != b.key and _one_list(a, b)


def _one_list(a: Mention, b: Mention) -> bool:
    """The two mentions stand in one list: one phrase, or coordinated heads."""
    return a.span == b.span or b.head in a.head.conjuncts


def with_list_mates(a: Mention, b: Mention | None, mentions: list[Mention]) -> list[tuple[Mention, Mention | None]]:
    """A chosen pair followed by the same pair for every party listed with its doer or its target: one event
    per side, as the gold and the codebook count them; a listed doer never becomes its mate's target."""
    if b is not None and same_list(a, b):
        return [(a, b)]  # the two sides of one list face each other ("A and B signed"): nobody else to add
    doers = [a, *(m for m in mentions if same_list(a, m) and (b is None or not same_list(m, b)))]
    targets = [b] if b is None else [b, *(m for m in mentions if same_list(b, m) and not same_list(m, a))]
    return [(x, y) for x in doers for y in targets if y is None or x.key != y.key]
