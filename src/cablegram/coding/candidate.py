"""A trigger with its resolved parties and what the sentence says about it, before fall-backs, typing and
merging; and the features of a trigger that later, document-wide steps need."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..models import Event, Mention, Party
from .triggers import Trigger, sense

ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "latest": -1, "last": -1, "recent": -1,
            "previous": -1}
ROUND_PREPS = frozenset({"at", "during", "in"})


@dataclass
class Candidate:
    """One trigger with its resolved parties, before fall-backs, typing and merging."""

    sent: Span
    trigger: Trigger
    actors: list[Party]
    recipients: list[Party]
    pair: list[Party]
    both: bool  # "both sides" stands on the doing side
    speaker: Party | None
    speaker_text: str | None
    agentive: bool  # the clause could name a doer: active voice with no subject, not a passive or a participle
    both_targets: bool = False  # "urged both countries": the report's two main parties are the recipients
    lone_actor: bool = False  # one singular doer ("the committee met"): a meeting with nobody else named
    has_object: bool = False  # the clause names what the act is about ("welcomed the result")
    words: frozenset[str] = frozenset()  # content lemmas of the trigger's clause, to tell repeated reports apart
    round_ref: tuple[int, str] | None = None  # "at the second round": which dated meeting of the report, and the words
    anaphoric: bool = False  # "the talks": a definite noun that points back to an event already told
    position: int = 0  # the sentence's place in the report
    mention: Mention | None = None  # where the report tells it, once the sentence is placed in the original text
    events: list[Event] = field(default_factory=list)
    confidence: float = 0.5  # the pair model's and the type classifier's belief in the event
    decided: bool = False  # the sentence gives both sides itself (a crowd's protest): nothing is filled in or dropped


def content_words(clause: Token) -> frozenset[str]:
    """Content lemmas under a clause: what two reports of one event would share."""
    return frozenset(t.lemma_.lower() for t in clause.subtree
                     if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not t.is_stop)


def round_ref(trig: Trigger) -> tuple[int, str] | None:
    """Index into the report's dated meetings named by "at/during the second (latest, ...) round of talks"."""
    for head in _clause_heads(trig):
        meeting = head if head.dep_ == "pobj" and head.head.lower_ in ROUND_PREPS else None
        meetings = [meeting] if meeting is not None else [
            o for c in head.children if c.dep_ == "prep" and c.lower_ in ROUND_PREPS for o in c.children
            if o.dep_ == "pobj"]
        for m in meetings:
            entry = sense(m)
            if entry is not None and entry.event_type == "CONSULT":
                for c in m.children:
                    if c.lower_ in ORDINALS and c.dep_ in ("amod", "advmod", "nummod"):
                        return ORDINALS[c.lower_], m.doc[m.left_edge.i:m.i + 1].text
    return None


OCCASION_PREPS = frozenset({"at", "during", "under", "in", "on"})
TIME_NOUNS = frozenset({"day", "evening", "night", "morning", "afternoon", "week", "month", "year", "time"})


def same_occasion(trig: Trigger) -> str | None:
    """The words that place the act at an occasion told before ("at the same meeting", "under the same
    statement"), if the act's clause has them; not a time ("the same day" is a date of its own)."""
    for head in _clause_heads(trig):
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in OCCASION_PREPS:
                continue
            for o in prep.children:
                if o.dep_ == "pobj" and o.lemma_.lower() not in TIME_NOUNS and \
                        any(c.lower_ == "same" for c in o.children):
                    return o.doc[prep.i:o.i + 1].text
    return None


def _clause_heads(trig: Trigger) -> list[Token]:
    """The words an act's circumstances ("at the second round", "at the same meeting") may hang on: the trigger,
    its clause, and the verb a coordinated clause shares them with."""
    return [trig.token, trig.clause] + ([trig.clause.head] if trig.clause.dep_ == "conj" else [])


def anaphoric(trig: Trigger) -> bool:
    """A definite event noun with no ordinal or date of its own ("the discussions", "the dialog")."""
    tok = trig.token
    return trig.entry.pos == "N" and any(c.dep_ == "det" and c.lower_ in ("the", "these", "this", "those", "that")
                                         for c in tok.children) and \
        not any(c.lower_ in ORDINALS or c.lower_ in ("next", "new", "upcoming") for c in tok.children)
