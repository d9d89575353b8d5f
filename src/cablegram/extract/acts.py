"""The acts one sentence tells of one pair of sides: news packs several into a sentence ("Islamabad condemned
the strike, recalled its ambassador from Tehran and called off all visits"), and each is an event of its own,
typed on its own clause."""

from __future__ import annotations

from spacy.tokens import Token

from ..coding.lexicon import LIGHT_VERBS, REPORTING_VERBS, Entry
from ..coding.triggers import sense

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
SPLIT = frozenset({"conj", "cc", "punct"})


def _verb(tok: Token) -> bool:
    """A verb that can be an act: not one that only reports a clause ("said that ...")."""
    return tok.pos_ in ("VERB", "AUX") and not (tok.lemma_.lower() in REPORTING_VERBS
                                                and any(c.dep_ == "ccomp" for c in tok.children))


def _own_subject(tok: Token) -> bool:
    return any(c.dep_ in SUBJECTS for c in tok.children)


def acts(pred: Token) -> list[Token]:
    """The predicate and the verbs that share its doer: coordinated verbs without a subject of their own
    ("condemned ... and recalled ...") and participle clauses that hang on it ("..., accusing X of ...")."""
    top = pred
    while top.dep_ == "conj" and not _own_subject(top) and _verb(top.head):
        top = top.head
    chain = [top, *(c for c in top.conjuncts if _verb(c) and not _own_subject(c))]
    if pred.i not in {t.i for t in chain}:
        chain = [pred]
    out = list(chain)
    for verb in chain:
        out += [c for c in verb.children if _participle(c)]
    out = [t for t in out if t.i == pred.i or t.lemma_.lower() not in LIGHT_VERBS or _has_object(t)]
    return [pred] + sorted((t for t in out if t.i != pred.i), key=lambda t: t.i)


def _participle(tok: Token) -> bool:
    """A participle clause that shares its governor's doer ("..., accusing X of ...")."""
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and _verb(tok) and not _own_subject(tok)


def _has_object(tok: Token) -> bool:
    return any(c.dep_ in ("dobj", "attr", "xcomp", "prt") for c in tok.children)


def clause_text(act: Token, doer: str) -> str:
    """The act's own clause as text (its words, less the other coordinated acts), led by the doer's words
    when the clause does not hold them: what the type is read from."""
    skip: set[int] = set()
    for c in act.children:
        if (c.dep_ in SPLIT and (c.dep_ != "conj" or _verb(c))) or _participle(c):
            skip.update(t.i for t in c.subtree)
    words = [t for t in act.subtree if t.i not in skip]
    while words and words[-1].is_punct:
        words.pop()
    text = "".join(t.text + (t.whitespace_ or (" " if n + 1 < len(words) and words[n + 1].i != t.i + 1 else ""))
                   for n, t in enumerate(words)).strip()
    return text if doer in text else f"{doer} {text}"


def prior_sense(act: Token) -> Entry | None:
    """The trigger lexicon's reading of an act: the word's own sense, else that of the event noun or verb it
    governs ("held talks", "imposed a ban", "agreed to restore")."""
    entry = sense(act)
    if entry is not None and act.lemma_.lower() not in LIGHT_VERBS:
        return entry
    for c in act.children:
        if c.dep_ in ("dobj", "attr", "xcomp", "oprd", "acomp"):
            found = sense(c)
            if found is not None:
                return found
    return entry
