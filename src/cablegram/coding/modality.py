"""How a sentence frames an event: negated, future or planned, hedged, and who is credited with saying it."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .lexicon import REPORTING_VERBS

FIRST_PERSON = frozenset({"i", "we"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})  # "said it would": future in reported speech
FUTURE_GOVERNORS = frozenset({"plan", "intend", "expect", "schedule", "set", "prepare", "aim", "hope", "due"})
FUTURE_MODIFIERS = frozenset({"next", "upcoming", "future", "planned", "forthcoming", "proposed", "coming"})
POSSIBLE_AUX = frozenset({"could", "might", "may"})  # "Washington could impose restrictions"
CONDITIONS = frozenset({"if", "unless"})
NEGATORS = frozenset({"not", "n't", "never", "no", "without"})
FAIL_VERBS = frozenset({"fail"})
HEDGES = re.compile(
    r"\b(reportedly|allegedly|purportedly|supposedly|apparently|according to|is said to|are said to|"
    r"was said to|were said to|unconfirmed|rumou?red|claimed|sources? (said|say|says)|it is believed|"
    r"is believed to|are believed to|unnamed)\b", re.I)


def negated(tok: Token, clause: Token) -> bool:
    """A trigger or its clause verb negated ("did not agree", "no agreement", "failed to meet")."""
    for t in {tok, clause}:
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children):
            return True
        if t.dep_ == "xcomp" and t.head.lemma_.lower() in FAIL_VERBS:
            return True
    return False


def future(tok: Token, clause: Token) -> bool:
    """The event is announced or scheduled, not yet done: will/shall, plans to, is set to, next round."""
    if any(c.lower_ in FUTURE_MODIFIERS for c in tok.children if c.dep_ in ("amod", "compound", "det")):
        return True
    cur = clause
    for _ in range(3):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in cur.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) and \
                cur.head.lemma_.lower() in FUTURE_GOVERNORS | {"go", "be"}:
            return True  # "plans to meet", "is going to", "Hamas is to free"
        if cur.dep_ == "conj" and cur.tag_ == "VBD":
            break  # "said it would hold the treaty and ordered the advisers out": ordered is past
        if cur.dep_ in ("xcomp", "ccomp", "conj") and cur.head.i != cur.i:
            cur = cur.head
            if cur.lemma_.lower() in REPORTING_VERBS:
                break
            continue
        break
    return False


def hypothetical(clause: Token) -> bool:
    """The act is only put as possible or conditional ("could impose", "would respond if they attacked"), in
    the clause or the verbs it is the complement of: the codebook's hypothetical mode."""
    cur = clause
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in POSSIBLE_AUX for c in cur.children):
            return True
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONS for m in c.children)
               for c in cur.children):
            return True
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def hedged(sent: Span) -> bool:
    """The report distances itself from the claim: reportedly, allegedly, according to, sources said."""
    return HEDGES.search(sent.text) is not None


def speaker_token(tok: Token, sent: Span) -> Token | None:
    """The person or body credited with the statement: the subject of a reporting verb above the trigger,
    or the object of "according to"."""
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            objs = [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.lemma_.lower() in REPORTING_VERBS:
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].lower_ not in FIRST_PERSON:  # '"I have said ...," the envoy added': the envoy
                return subj[0]
    root = sent.root
    if root.lemma_.lower() in REPORTING_VERBS and tok.i != root.i:
        subj = [c for c in root.children if c.dep_ == "nsubj"]
        if subj and subj[0].lower_ not in FIRST_PERSON:
            return subj[0]
    attributions = [t for t in sent if t.lemma_.lower() in REPORTING_VERBS and t.i > tok.i and
                    any(c.dep_ == "nsubj" and c.lower_ not in FIRST_PERSON for c in t.children)]
    if attributions:  # the quote's attribution after it: '"...," Darchiev added.'
        return next(c for c in attributions[-1].children if c.dep_ == "nsubj" and c.lower_ not in FIRST_PERSON)
    return None
