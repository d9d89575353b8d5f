"""The trigger lexicon: which words can signal which PLOVER event, read from data/triggers.tsv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Entry:
    """One way a lemma can signal an event; `context` lemmas, when given, must stand next to it in the parse."""

    lemma: str
    pos: str  # "V" or "N"
    event_type: str
    mode: str | None
    context: frozenset[str]


LIGHT_VERBS = frozenset({
    "hold", "have", "make", "reach", "give", "take", "impose", "launch", "conduct", "carry", "begin",
    "start", "open", "continue", "stage", "issue", "announce", "grant", "place", "introduce",
    "lodge", "file", "level", "express", "voice", "initiate", "move", "pursue", "join", "extend",
})
ACCUSED_DOER = frozenset({"obstruct", "war", "interfere", "meddle", "sabotage", "provoke", "violate", "breach"})
"""ACCUSE words that name the wrongdoing, not the accusing: their doer is the accused, the speaker the accuser."""
JOINT_ONLY = frozenset({"decide", "decision"})
"""AGREE words that are an agreement only when the parties decide together: one side's decision is its own."""
REFERENCE_NOUNS = frozenset({"treaty", "pact", "accord", "agreement", "deal", "memorandum", "understanding"})
"""Document nouns that are an event only when something is done to them (signed, reached, agreed)."""
DOCUMENT_VERBS = frozenset({"sign", "reach", "conclude", "finalize", "finalise", "agree", "strike", "seal", "broker",
                            "announce", "approve", "initial", "ratify", "negotiate", "hammer", "clinch", "secure"})
REPORTING_VERBS = frozenset({
    "say", "tell", "note", "add", "stress", "state", "emphasize", "emphasise", "announce", "claim",
    "confirm", "write", "explain", "argue", "remark", "declare", "report", "insist", "reiterate",
    "underline", "underscore", "point", "observe", "describe", "comment", "respond", "recall",
})


@lru_cache(maxsize=1)
def load_lexicon() -> dict[tuple[str, str], list[Entry]]:
    """(lemma, pos) -> entries, constrained ones first so a specific sense wins over the general one."""
    table: dict[tuple[str, str], list[Entry]] = {}
    text = resources.files("cablegram").joinpath("data/triggers.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        lemma, pos, etype, mode, ctx = (c.strip() for c in cols[:5])
        entry = Entry(lemma, pos, etype, mode or None, frozenset(c for c in ctx.split(",") if c))
        table.setdefault((lemma, pos), []).append(entry)
    for entries in table.values():
        entries.sort(key=lambda e: not e.context)
    return table


@lru_cache(maxsize=1)
def trigger_words() -> frozenset[str]:
    """Every lemma in the lexicon: a cheap test of whether a sentence can hold an event at all."""
    return frozenset(lemma.split()[0] for lemma, _ in load_lexicon())  # a phrasal verb by its verb
