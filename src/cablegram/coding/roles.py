"""Who did it and to whom: the parse positions of a trigger's actor and recipient.

Returns head tokens only; turning them into countries and sectors is the actors package's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from .triggers import Trigger, sense

SUBJECT_DEPS = ("nsubj", "csubj")
RECIPIENT_PREPS = frozenset({"with", "to", "against", "toward", "towards", "from", "on", "upon", "at", "for", "into"})
ACTOR_PREPS = frozenset({"by"})
PAIR_PREPS = frozenset({"between"})
NOUN_PATIENT_TYPES = frozenset({"SANCTION", "COERCE", "ASSAULT", "RETREAT", "ACCUSE", "AID"})


@dataclass
class Roles:
    """Head tokens of the actor side and the recipient side; `pair` holds both sides of "between X and Y"."""

    actors: list[Token] = field(default_factory=list)
    recipients: list[Token] = field(default_factory=list)
    pair: list[Token] = field(default_factory=list)


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


def party_span(tok: Token) -> Span:
    """The noun phrase a party head stands for: its subtree without clauses and coordinated siblings."""
    clauses = {"relcl", "acl", "advcl", "ccomp", "xcomp"}
    keep = [tok]
    stack = [c for c in tok.children if c.dep_ not in clauses | {"conj", "cc", "punct"}]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if c.dep_ not in clauses)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep) + 1
    return tok.doc[lo:hi]


def _subject(verb: Token) -> tuple[list[Token], list[Token]]:
    """(actors, patients) from a verb's own subject, climbing through xcomp/conj/acl heads when it has none."""
    cur = verb
    shared = False  # climbed from an active verb coordinated with this one: its subject is ours too
    for _ in range(4):
        actors = [c for c in cur.children if c.dep_ in SUBJECT_DEPS]
        agents = [p for c in cur.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        patients = [c for c in cur.children if c.dep_ == "nsubjpass"]
        if shared and patients and not actors:  # "it was concerned by X and offered condolences": it offered
            return [p for h in patients for p in _with_conjuncts(h)], []
        if actors or agents:
            return [a for h in actors + agents for a in _with_conjuncts(h)], patients
        if patients:
            return [], [p for h in patients for p in _with_conjuncts(h)]
        if cur.dep_ in ("acl",) and cur.head.pos_ in ("NOUN", "PROPN"):
            return [], _with_conjuncts(cur.head)
        if cur.dep_ == "advcl" and cur.tag_ == "VBN" and not any(c.dep_.startswith("aux") for c in cur.children):
            return [], []  # "links, suspended after the war began": a passive whose doer the text does not name
        if cur.dep_ in ("xcomp", "conj", "ccomp", "advcl") and cur.head.i != cur.i:
            shared = cur.dep_ == "conj" and not any(c.dep_ == "auxpass" for c in cur.children)
            cur = cur.head
            continue
        break
    return [], []


def _object_of(tok: Token) -> Token:
    """A dative the parser gave as its preposition ("gave approval to X": "to") stands for the preposition's object."""
    if tok.pos_ == "ADP":
        return next((c for c in tok.children if c.dep_ == "pobj"), tok)
    return tok


def _is_event_noun(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and sense(tok) is not None


def has_subject(verb: Token) -> bool:
    """The clause names its own doer (subject or by-agent), whether or not it resolves to a political actor."""
    return any(c.dep_ in SUBJECT_DEPS or c.dep_ == "agent" for c in verb.children)


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in preps:
            out += [p for pobj in c.children if pobj.dep_ == "pobj" for p in _with_conjuncts(pobj)]
    return out


def find_roles(trigger: Trigger) -> Roles:
    """Actor and recipient heads for a trigger, from its clause's arguments and the trigger noun's modifiers."""
    tok, clause = trigger.token, trigger.clause
    roles = Roles()
    actors, patients = _subject(clause)
    roles.actors += actors
    roles.recipients += patients
    for head in dict.fromkeys((tok, clause)):  # in this order: a set of tokens iterates by memory address
        roles.recipients += [o for c in head.children if c.dep_ in ("dobj", "dative", "iobj")
                             for o in _with_conjuncts(_object_of(c)) if o.i != tok.i]
        roles.recipients += _prep_objects(head, RECIPIENT_PREPS)
        if trigger.entry.event_type in ("REJECT", "AGREE", "CONSULT"):  # "postponed a visit to Riyadh"
            roles.recipients += [o for c in head.children if c.dep_ == "dobj" and c.i != tok.i and _is_event_noun(c)
                                 for o in _prep_objects(c, RECIPIENT_PREPS)]
        roles.actors += _prep_objects(head, ACTOR_PREPS)
        roles.pair += _prep_objects(head, PAIR_PREPS)
    if tok.i != clause.i or trigger.entry.pos == "N":
        owners = [c for c in tok.children if c.dep_ == "poss"]
        if owners and owners[0].pos_ != "PRON":  # "London's expulsion of ...": London did it, whoever reports it
            roles.actors = _with_conjuncts(owners[0])
        else:
            roles.actors = owners + roles.actors
        modifiers = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
        roles.pair += modifiers
        of_objects = _prep_objects(tok, frozenset({"of"}))
        if trigger.entry.event_type in NOUN_PATIENT_TYPES:
            roles.recipients += of_objects
        acl_agents = [p for c in tok.children if c.dep_ == "acl" for p in _prep_objects(c, ACTOR_PREPS)]
        roles.actors += acl_agents
    roles.actors = _dedupe(roles.actors, exclude=tok)
    roles.recipients = [r for r in _dedupe(roles.recipients, exclude=tok) if r not in roles.actors]
    roles.pair = _dedupe(roles.pair, exclude=tok)
    return roles


def _dedupe(tokens: list[Token], exclude: Token) -> list[Token]:
    seen, out = set(), []
    for t in tokens:
        if t.i not in seen and (exclude is None or t.i != exclude.i):
            seen.add(t.i)
            out.append(t)
    return out
