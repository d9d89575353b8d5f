"""Find the words in a parsed sentence that signal events, and decide which of them stand on their own.

A trigger embedded under another trigger ("refused to discuss the return", "agreed to ease restrictions")
is absorbed by it: the governing word says what happened. Coordinated or adverbial clauses stay separate.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import DOCUMENT_VERBS, LIGHT_VERBS, REFERENCE_NOUNS, REPORTING_VERBS, Entry, load_lexicon

SEPARATE_DEPS = frozenset({"conj", "advcl", "parataxis", "relcl", "acl"})
BACKGROUND_PREPS = frozenset({"after", "before", "during", "since", "following", "until", "amid", "despite",
                              "ahead", "prior", "throughout", "under", "per", "against"})
NAME_ENTS = frozenset({"LAW", "EVENT", "ORG", "WORK_OF_ART", "FAC", "PRODUCT"})
QUESTION_MARKERS = frozenset({"if", "whether", "when", "where", "why", "how", "what", "who"})
ASKING = frozenset({"ask", "wonder", "inquire", "question"})
CONDITIONS = frozenset({"if", "unless", "once", "until"})
TIME_NOUNS = frozenset({"anniversary", "eve", "aftermath", "wake", "start", "beginning", "end", "outbreak", "onset",
                        "month", "year", "week", "day", "time", "future", "fate", "prospect"})
LIGHT_NOUNS = frozenset({"round", "package", "wave", "series", "set", "batch", "raft", "host", "number"})


@dataclass
class Trigger:
    """An event word, its lexicon sense, and the verb whose arguments carry its parties."""

    token: Token
    entry: Entry
    clause: Token  # the token roles hang on: the trigger itself, or the light verb a noun trigger is the object of


def _pos(tok: Token) -> str | None:
    """V for verbs and verbal adjectives ("remains committed"), N for nouns, None otherwise."""
    if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "NOUN"):
        return "V"
    if tok.pos_ in ("NOUN", "PROPN"):
        return "N"
    if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod", "xcomp", "oprd"):
        return "A"
    return None


def _neighbourhood(tok: Token) -> set[str]:
    """Lemmas standing next to a token in the parse: children, head, the head's head."""
    near = {c.lemma_.lower() for c in tok.children}
    near.add(tok.head.lemma_.lower())
    near.add(tok.head.head.lemma_.lower())
    return near


PARTICLES = frozenset({"out", "off", "down", "up", "back", "away"})


def _particle(verb: Token) -> str | None:
    """The verb's particle: "off" in "called the visit off", "out" in "pulled out of the force"."""
    for c in verb.children:
        if c.dep_ == "prt" or c.dep_ in ("prep", "advmod") and c.lower_ in PARTICLES and \
                not any(g.dep_ == "pobj" for g in c.children):
            return c.lower_
    return None


def sense(tok: Token) -> Entry | None:
    """The lexicon sense a word has here, or None: a constrained sense needs one of its words next to it, and a
    phrasal verb's own sense ("call off") wins over its verb's ("call")."""
    pos = _pos(tok)
    if pos is None:
        return None
    particle = _particle(tok)
    entries = (particle and load_lexicon().get((f"{tok.lemma_.lower()} {particle}", pos))) \
        or load_lexicon().get((tok.lemma_.lower(), pos)) or load_lexicon().get((tok.text.lower(), pos))
    if not entries:
        return None
    near = None
    for entry in entries:
        if not entry.context:
            return entry
        near = near if near is not None else _neighbourhood(tok)
        if entry.context & near:
            return entry
    return None


def clause_of(tok: Token) -> Token:
    """The verb a noun trigger's parties hang on: the light or other verb it is the object or subject of."""
    if _pos(tok) == "V":
        return tok
    if _pos(tok) == "A":
        return tok.head if tok.dep_ in ("acomp", "xcomp", "oprd") else tok
    head = tok
    while head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "prep", "compound", "conj") and head.head.i != head.i:
        head = head.head
        if _pos(head) == "V":
            return head
    return tok


def _absorbed(tok: Token, trigger_tokens: set[int]) -> bool:
    """True when a governing trigger sits above this one with no clause boundary in between."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ == "conj" and cur.head.dep_ == "xcomp" and cur.tag_ not in ("VBD", "VBZ", "VBP"):
            pass  # "urged them to cancel X and resolve Y": both inside what was urged
        elif cur.dep_ in ("acl", "relcl") and any(c.dep_ == "mark" for c in cur.children) or \
                cur.dep_ == "acl" and cur.tag_ not in ("VBN", "VBG"):
            pass  # "demands that Kyiv withdraw": the content of the demand, not an event of its own
        elif cur.dep_ in SEPARATE_DEPS or _answered(cur):
            return False
        cur = cur.head
        if cur.i in trigger_tokens:
            return True
        if cur.lemma_.lower() in REPORTING_VERBS:
            return False  # "what he described as a war": a speech act of its own
    return False


def _background(tok: Token) -> bool:
    """A noun trigger that only sets the time of something else ("after the first round of talks", "on the
    anniversary of the invasion")."""
    if _pos(tok) != "N" or tok.dep_ != "pobj":
        return False
    if tok.head.lower_ in BACKGROUND_PREPS:
        return True
    return tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in TIME_NOUNS


def _light_noun(tok: Token) -> bool:
    """"a round of sanctions", "a package of aid": the event is the noun after "of", not the measure word."""
    return tok.lemma_.lower() in LIGHT_NOUNS and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(o.dep_ == "pobj" and sense(o) for o in c.children)
        for c in tok.children)


def _asks_question(clause: Token) -> bool:
    return any(c.lower_ in QUESTION_MARKERS for c in clause.children if c.dep_ in ("mark", "advmod"))


def _answered(tok: Token) -> bool:
    """"in response to London's expulsion", "after the strikes": an event the governing one answers or follows
    is an event of its own, not part of it."""
    return tok.dep_ == "pobj" and (tok.head.lower_ in BACKGROUND_PREPS or
                                   tok.head.head.lemma_.lower() in ("response", "retaliation", "reaction", "reply"))


def _absent(tok: Token) -> bool:
    """"no agreement", "no decision": a noun the sentence says did not happen."""
    return _pos(tok) == "N" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)


def _mere_document(tok: Token) -> bool:
    """"the treaty", "under the deal": a document named, with nothing done to it in this sentence."""
    if tok.lemma_.lower() not in REFERENCE_NOUNS or _pos(tok) != "N":
        return False
    near = {tok.head.lemma_.lower()} | {c.lemma_.lower() for c in tok.children if c.dep_ in ("acl", "relcl")}
    return not near & (DOCUMENT_VERBS | LIGHT_VERBS)


def _conditional(tok: Token) -> bool:
    """The trigger sits in an "if", "unless", "once" or "until" clause: a condition, not a reported event."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in cur.children):
            return True
        cur = cur.head
    return False


def _questioned(tok: Token) -> bool:
    """The trigger sits in a question put to someone ("was asked whether the talks would resume"): not reported
    as having happened."""
    if tok.lemma_.lower() in ASKING and any(c.dep_ in ("ccomp", "advcl") and _asks_question(c) for c in tok.children):
        return True  # "was asked whether ...": a question, not a request
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ in ("ccomp", "advcl") and cur.head.lemma_.lower() in ASKING \
                and any(c.lower_ in QUESTION_MARKERS for c in cur.children if c.dep_ in ("mark", "advmod")):
            return True
        cur = cur.head
    return tok.sent.text.rstrip().endswith("?")


def find_triggers(sent: Span) -> list[Trigger]:
    """Event triggers of a sentence that each make their own event, in text order."""
    found: dict[int, Trigger] = {}
    for tok in sent:
        entry = sense(tok)
        if entry is None or _background(tok) or tok.dep_ == "acl" and _background(tok.head) or _questioned(tok) or _conditional(tok) or _light_noun(tok) or \
                _absent(tok) or _mere_document(tok) or \
                (entry.pos == "N" and tok.ent_type_ in NAME_ENTS):  # "the Indus Waters Treaty" names a document
            continue
        if entry.pos == "V" and tok.lemma_.lower() in LIGHT_VERBS and any(
                c.dep_ == "dobj" and sense(c) for c in tok.children):
            continue  # "sign an agreement": the object names the event
        found[tok.i] = Trigger(tok, entry, clause_of(tok))
    keys = set(found)
    return [t for i, t in sorted(found.items()) if not _absorbed(t.token, keys)]
