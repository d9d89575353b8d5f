"""Targets named by reference to an earlier act: "Brazil condemned the raid", "Guterres welcomed the deal",
"the parliament ratified the bid". The target is whoever did the act referred to (both sides, for an act done
together), found among the report's earlier candidates by the object's own word; nothing is guessed when no
earlier act is told in those words."""

from __future__ import annotations

from spacy.tokens import Token

from ..coding.candidate import Candidate
from ..coding.coder import unique_parties
from ..models import SYMMETRIC

DEFINITE = frozenset({"the", "this", "that", "these", "those"})
OBJECT_PRONOUNS = frozenset({"it", "them"})
TOGETHER = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "ASSAULT", "CONCEDE", "RETREAT"})
# nouns that stand for whatever was just told ("the move", "the charge"): like a pronoun, they point at an act of
# the sentence before
SHELL_NOUNS = frozenset({"move", "step", "decision", "announcement", "action", "measure", "allegation", "charge",
                         "accusation", "claim", "remark", "comment", "statement", "demand", "request", "offer"})
JOINT_WORDS = frozenset({"deal", "agreement", "accord", "pact", "statement", "declaration", "treaty", "talks",
                         "meeting", "summit", "exchange", "swap"})


def referred_object(act: Token) -> Token | None:
    """The act's object when it is a definite noun or a pronoun pointing back ("the raid", "them")."""
    for c in act.children:
        obj = c
        if c.dep_ == "prep" and c.lower_ in ("against", "on", "over", "to", "for"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is None:
                continue
        elif c.dep_ not in ("dobj", "nsubjpass"):
            continue
        if obj.lower_ in OBJECT_PRONOUNS and obj.pos_ == "PRON":
            return obj
        if obj.pos_ == "NOUN" and any(d.dep_ == "det" and d.lower_ in DEFINITE for d in obj.children):
            return obj
    return None


def fill_targets(candidates: list[Candidate]) -> None:
    """Give each candidate with a doer but no target the doers of the earlier act its object refers to. Doers
    named together were paired with each other for want of anyone else; unless the act is one done together
    (a meeting, a signing, a ceasefire, a war), they are both doers of it and the targets are sought."""
    for n, cand in enumerate(candidates):
        if cand.both and cand.trigger.entry.event_type not in TOGETHER:  # "Brazil and Colombia condemned ..."
            cand.actors, cand.recipients = cand.actors + cand.recipients, []
        if cand.recipients or not cand.actors:
            continue
        obj = referred_object(cand.trigger.token)
        if obj is None:
            if cand.trigger.entry.event_type == "REJECT":
                cand.recipients = _accusers(cand, candidates[:n])
            continue
        earlier = _antecedent(obj, candidates[:n], cand)
        if earlier is None:
            continue
        again = referred_object(earlier.trigger.token)
        if again is not None and again.lemma_.lower() == obj.lemma_.lower():
            sides = list(earlier.recipients)  # "Y also condemned the raid": the raid X condemned
        else:
            sides = list(earlier.actors)
            if earlier.trigger.entry.event_type in SYMMETRIC or obj.lemma_.lower() in JOINT_WORDS:
                sides += earlier.recipients
        mine = {p.country for p in cand.actors}
        cand.recipients = unique_parties(p for p in sides if p.country not in mine)


def _antecedent(obj: Token, before: list[Candidate], cand: Candidate) -> Candidate | None:
    """The latest candidate of an earlier sentence told in the object's word (its act's word or a word of its
    sentence); for a pronoun or a noun that stands for any act ("the move"), a candidate of the sentence just
    before."""
    word = obj.lemma_.lower()
    for other in reversed(before):
        if not other.actors or other.position >= cand.position:
            continue
        if obj.pos_ == "PRON" or word in SHELL_NOUNS:
            return other if cand.position - other.position <= 1 else None
        if other.trigger.token.lemma_.lower() == word or any(t.lemma_.lower() == word for t in other.sent):
            return other
    return None


def _accusers(cand: Candidate, before: list[Candidate]) -> list:
    """Who a denial with no named target answers: the doers of the latest accusation against the denier, told
    in its own sentence or the one before ("Tehran denied any role")."""
    mine = {p.country for p in cand.actors}
    for other in sorted(before, key=lambda c: (c.position, c.trigger.token.i), reverse=True):
        if cand.position - other.position > 1 or other.trigger.entry.event_type != "ACCUSE":
            continue
        if mine & {p.country for p in other.recipients}:
            return unique_parties(p for p in other.actors if p.country not in mine)
    return []
