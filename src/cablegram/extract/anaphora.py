"""Doers named only by a pronoun or a generic description ("It has since lifted the tariffs", "the bloc gave the
junta a week", "the caretaker government announced"): they are the nearest party of the matching kind named
before them, in the same sentence or the one before. Nothing is taken from further back."""

from __future__ import annotations

from spacy.tokens import Token

from ..models import Party

STATE_NOUNS = frozenset({"government", "junta", "regime", "administration", "kingdom", "country", "military",
                         "army", "authorities", "cabinet", "presidency", "leadership", "republic", "state"})
BLOC_NOUNS = frozenset({"bloc", "alliance", "union", "organisation", "organization", "grouping", "community"})
SUBJECT_PRONOUNS = frozenset({"it", "they"})


def wanted_kind(tok: Token) -> str | None:
    """'state' or 'bloc' when the word names a party only by pronoun or description; None otherwise."""
    if tok.pos_ == "PRON" and tok.lower_ in SUBJECT_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
        return "state"
    if tok.pos_ in ("NOUN", "PROPN") and any(d.dep_ == "det" and d.lower_ == "the" for d in tok.children):
        lemma = tok.lemma_.lower()
        return "state" if lemma in STATE_NOUNS else "bloc" if lemma in BLOC_NOUNS else None
    return None


def antecedent(tok: Token, kind: str, resolve) -> Party | None:
    """The party of the kind named before the word: the nearest in its own sentence, else the subject of the
    sentence before, else the nearest there (`resolve(span)` gives a named entity's party). A state is a
    country; a bloc an organisation."""
    sent = tok.sent
    previous = list(tok.doc[sent.start - 1].sent.ents) if sent.start > 0 else []
    subjects = [e for e in previous if _subject(e.root)]
    order = [*reversed([e for e in sent.ents if e.end <= tok.i]), *subjects,
             *reversed([e for e in previous if e not in subjects])]
    for ent in order:
        if ent.label_ not in ("GPE", "NORP", "ORG", "PERSON"):
            continue
        party = resolve(ent)
        if party is None or not party.country:
            continue
        if (kind == "bloc") == ("IGO" in (party.sector or [])):
            return party
    return None


def _subject(tok: Token) -> bool:
    """The word heads its clause's subject, or the possessor or a compound of it ("China's coast guard")."""
    while tok.dep_ in ("poss", "compound", "conj") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")
