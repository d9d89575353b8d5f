"""Crowds that no dictionary names: their protests ("thousands rallied in Tbilisi", "Polish farmers kept up their
blockade", "protesters stormed the embassy") and the police or troops acting against them ("police detained
dozens of demonstrators"). PLOVER's PROTEST is collective civilian action against a recipient, so the doer is
the crowd's country (a nationality it is called by, else where it gathered) and the recipient is the side it acts
against: a mission's country, a party it targets, demands of or accuses, else its own authorities
(eval/README.md). Forces acting on a crowd are a COERCE or an ASSAULT at home. A crowd whose country the text does
not give is left alone."""

from __future__ import annotations

from typing import Callable, Iterator

from spacy.tokens import Span, Token

from ..models import Party
from ..places import find_location

Resolve = Callable[[Token], Party | None]

PROTESTERS = frozenset({"protester", "protestor", "demonstrator", "rioter", "marcher", "picketer"})
CROWDS = PROTESTERS | frozenset({"crowd", "people", "supporter", "farmer", "student", "resident", "worker",
                                 "activist", "villager", "trader", "trucker", "youth", "mob", "opponent",
                                 "veteran", "pensioner", "teacher", "nurse", "doctor", "miner", "fisherman"})
COUNTS = frozenset({"thousand", "hundred", "dozen", "ten", "score", "million", "thousands", "hundreds", "tens",
                    "dozens", "scores"})  # "tens of thousands of farmers": the crowd is the last "of"
PROTEST_ACTS = {"rally": "demo", "march": "demo", "protest": "demo", "demonstrate": "demo", "gather": "demo",
                "mass": "demo", "parade": "demo", "chant": "demo", "converge": "demo", "picket": "demo",
                "storm": "riot", "riot": "riot", "burn": "riot", "stone": "riot", "clash": "riot",
                "block": "obstruct", "blockade": "obstruct", "besiege": "obstruct", "occupy": "obstruct",
                "surround": "obstruct", "boycott": "boycott", "strike": "strike"}
PROTEST_NOUNS = {"rally": "demo", "protest": "demo", "demonstration": "demo", "march": "demo", "vigil": "demo",
                 "blockade": "obstruct", "boycott": "boycott", "strike": "strike"}  # "held rallies"
TARGET_PREPS = frozenset({"on", "against", "outside", "at", "to", "towards", "toward", "into"})
MISSIONS = frozenset({"embassy", "consulate", "mission", "legation", "chancery"})
HOME = frozenset({"parliament", "government", "presidency", "palace", "ministry", "legislature", "assembly",
                  "cabinet", "president", "authorities", "court", "police"})  # the crowd's own authorities
FORCES = frozenset({"police", "policeman", "officer", "troop", "soldier", "force", "army", "military", "guard",
                    "gendarme", "gendarmerie"})
AGAINST_CROWDS = {"detain": ("COERCE", "arrest"), "arrest": ("COERCE", "arrest"), "disperse": ("COERCE", None),
                  "round": ("COERCE", "arrest"), "break": ("COERCE", None), "clear": ("COERCE", None),
                  "fire": ("ASSAULT", None), "shoot": ("ASSAULT", None), "kill": ("ASSAULT", None),
                  "beat": ("ASSAULT", "beat"), "attack": ("ASSAULT", None), "charge": ("ASSAULT", None)}
DEMANDS = frozenset({"demand", "accuse", "call", "urge", "denounce", "oppose", "condemn", "protest", "reject",
                     "decry", "blame"})


def crowd_protests(sent: Span) -> Iterator[tuple[Token, Token, str]]:
    """(crowd word, act, PROTEST mode) for each crowd that is the subject of a protest: a protest verb, a protest
    noun as the object of its verb ("kept up their blockade"), or anything protesters do. One act per crowd."""
    for tok in sent:
        if tok.dep_ != "nsubj" or tok.head.pos_ != "VERB":
            continue
        crowd = _crowd_word(tok)
        if crowd is None:
            continue
        for act in (tok.head, *(c for c in tok.head.children if c.dep_ == "conj" and c.pos_ == "VERB"
                                and not any(s.dep_.startswith("nsubj") for s in c.children))):
            mode = _mode(act)
            if mode is not None or crowd.lemma_.lower() in PROTESTERS:
                yield crowd, act, mode or "demo"
                break


def forces_on_crowds(sent: Span) -> Iterator[tuple[Token, Token, Token, str, str | None]]:
    """(forces word, act, crowd word, type, mode) for police or troops who detain, disperse or fire on a crowd
    ("police opened fire on the crowds", "riot police detained scores of demonstrators")."""
    for tok in sent:
        if tok.dep_ != "nsubj" or tok.head.pos_ != "VERB" or tok.lemma_.lower() not in FORCES:
            continue
        act = tok.head
        typed = AGAINST_CROWDS.get(act.lemma_.lower())
        if typed is None:
            continue
        targets = [c for c in act.subtree if c.dep_ in ("dobj", "pobj") and c.head.i in (act.i, *(
            p.i for p in act.children if p.dep_ in ("prep", "dobj")))]
        crowd = next((w for w in (_crowd_word(t) for t in targets) if w is not None), None)
        if crowd is not None:
            yield tok, act, crowd, *typed


def crowd_side(crowd: Token, act: Token, resolve: Resolve) -> Party | None:
    """The crowd's country: a nationality or country it is called by ("Polish farmers"), else where it acted."""
    for m in crowd.children:
        if m.i < crowd.i and m.dep_ in ("amod", "compound", "nmod", "poss") and not _leaning(m):
            party = resolve(m)
            if party is not None and party.country:
                return Party(_crowd_phrase(crowd).text, party.country, sector=["CVL"])
    place = find_location(crowd.sent, act)
    if place is None or not place.country:
        return None
    return Party(_crowd_phrase(crowd).text, place.country, sector=["CVL"])


def protest_target(act: Token, home: Party, resolve: Resolve) -> Party:
    """Whom the protest is against: the object or a targeted place of the act or of an act joined to it ("marched
    on the French embassy", "stormed parliament"), else a party named in what the crowd demands or whom it
    accuses; the crowd's own country when none is named (a protest at home is aimed at the authorities)."""
    acts = [act, *(c for c in act.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    for a in acts:
        for c in a.children:
            if c.dep_ == "dobj":
                objects = [c]
            elif c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                objects = [g for g in c.children if g.dep_ == "pobj"]
            else:
                continue
            for o in objects:
                party = next((p for w in _along(o) if (p := _party_of(w, home, resolve)) is not None), None)
                if party is not None:
                    return party
    for a in acts:
        for verb in a.subtree:
            if verb.i != a.i and verb.pos_ == "VERB" and verb.lemma_.lower() in DEMANDS:
                for word in verb.subtree:
                    if word.pos_ in ("NOUN", "PROPN") and word.dep_ not in ("compound", "flat"):
                        party = _party_of(word, home, resolve)
                        if party is not None:
                            return party
    return home


def is_crowd(tok: Token) -> bool:
    """The word names a crowd ("protesters", "thousands of farmers") or a people ("Ukrainians"), not a state."""
    return _crowd_word(tok) is not None or (tok.ent_type_ == "NORP" and tok.tag_ in ("NNPS", "NNS"))


def _crowd_word(tok: Token) -> Token | None:
    """The crowd noun a subject stands for: itself, or the noun counted ("thousands of junta supporters")."""
    while tok.lemma_.lower() in COUNTS or tok.lower_ in COUNTS or tok.like_num:
        tok = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"), None)
        if tok is None:
            return None
    return tok if tok.lemma_.lower() in CROWDS and tok.pos_ == "NOUN" else None


def _crowd_phrase(crowd: Token) -> Span:
    """The words that name the crowd, counts included ("Tens of thousands of farmers")."""
    top = crowd
    while top.dep_ == "pobj" and top.head.dep_ == "prep" and top.head.head.lower_ in COUNTS | {"tens"}:
        top = top.head.head
    return crowd.doc[top.left_edge.i:crowd.i + 1]


def _leaning(word: Token) -> bool:
    """The word says which side a crowd leans to, not where it is from ("pro-Russian", "anti-American")."""
    before = word.doc[word.i - 2:word.i] if word.i >= 2 else word.doc[0:0]
    return any(t.lower_ in ("pro", "anti") for t in (*before, *word.children))


def _mode(act: Token) -> str | None:
    """The PROTEST mode of a verb that is a protest, or of a protest noun it takes as object; None otherwise."""
    mode = PROTEST_ACTS.get(act.lemma_.lower())
    if mode is not None:
        return mode
    objects = [c for c in act.children if c.dep_ == "dobj"]
    objects += [g for o in objects for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
                for g in p.children if g.dep_ == "pobj"]  # "held a series of rallies"
    return next((PROTEST_NOUNS[o.lemma_.lower()] for o in objects if o.lemma_.lower() in PROTEST_NOUNS), None)


def _along(word: Token, depth: int = 2) -> Iterator[Token]:
    """The noun and, nearest first, the nouns its prepositions lead to ("blockade of crossings on the border")."""
    yield word
    if depth:
        for p in word.children:
            if p.dep_ == "prep":
                for g in p.children:
                    if g.dep_ == "pobj":
                        yield from _along(g, depth - 1)


def _party_of(word: Token, home: Party, resolve: Resolve) -> Party | None:
    """The side a targeted noun stands for: a mission's country ("the French embassy"), the party it names or
    is owned by ("the European Union's rules"), or the crowd's own authorities ("parliament")."""
    lemma = word.lemma_.lower()
    if lemma not in MISSIONS and not any(c.pos_ == "PRON" for c in word.children):  # "their blockade": theirs
        party = resolve(word)
        if party is not None and party.country:
            return party
    for m in word.children:
        if m.pos_ == "PRON":
            continue  # "their blockade": the crowd's own
        if m.dep_ in ("amod", "compound", "nmod", "poss") or (m.dep_ == "prep" and m.lower_ == "of"):
            owner = m if m.dep_ != "prep" else next((g for g in m.children if g.dep_ == "pobj"), None)
            party = resolve(owner) if owner is not None else None
            if party is not None and party.country:
                return party
            if owner is not None and owner.lemma_.lower() in HOME:
                return home
    return home if lemma in HOME else None
