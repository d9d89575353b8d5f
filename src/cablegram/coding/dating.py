"""The dates of an act: those its own clause states, those told against an earlier date ("the same day",
"two days after ..."), else the one date its sentence states, else the report's."""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from ..dates import NUMBER_WORDS, anchored_dates, find_dates, first_anchored
from .candidate import Candidate
from .lexicon import REPORTING_VERBS
from .roles import has_subject
from .triggers import Trigger

def act_dates(cand: Candidate, published: str | None, planned: bool) -> list[tuple[str | None, str | None]]:
    """Dates said inside the trigger's clause; several joined by "and" become several events."""
    sent = cand.sent
    stated = find_dates(sent.text, published, prefer="future" if planned else None)
    stated += anchored_dates(sent.text, _anchor(sent, stated, published))
    found = [(d, t) for d, t, s, e in stated
             if _dates_event(sent.char_span(s, e, alignment_mode="expand"), cand.trigger, planned)]
    if not found and not planned:
        found = _counted_from_main(sent, cand.trigger.clause, stated, published)
    if not found:
        return [(None, None) if planned else _sentence_date(sent, cand.trigger, stated, published)]
    if len(found) > 1 and cand.trigger.entry.event_type in ("CONSULT", "ASSAULT", "PROTEST", "SANCTION"):
        return found
    anchor = cand.trigger.token.idx - sent.start_char
    return [min(found, key=lambda dt: abs(sent.text.find(dt[1]) - anchor))]


def _sentence_date(sent: Span, trigger: Trigger, stated: list[tuple[str, str, int, int]],
                   published: str | None) -> tuple[str | None, str | None]:
    """The date of an act done whose own clause states none: the one date its sentence states, when it is no
    later than the report ("revoked the accord on March 16, and its spokesman accused US officials"). Not a
    date of something else (see `_dates_other_thing`), not for an act told as done at some time before ("said
    on Monday that it has expelled"), and not when the sentence states several. Else the report's date."""
    if len(stated) != 1 or _told_as_before(trigger.clause):
        return published, None
    day, words, start, end = stated[0]
    span = sent.char_span(start, end, alignment_mode="expand")
    later = published is not None and day[:len(published)] > published[:len(day)]
    if span is None or later or _dates_other_thing(span.root, trigger.token):
        return published, None
    return day, words


def _dates_other_thing(t: Token, act: Token) -> bool:
    """The word dates something other than the sentence's acts: it sits in a clause that describes another
    noun than the act's ("a plan he set out in May"; but "a pledge the leaders made on 14 December" dates the
    pledge) or sets a standard of comparison ("as they stood in March 2019"), or hangs on a verb told as done
    before ("had set out in May")."""
    while t.head.i != t.i:
        if t.pos_ in ("VERB", "AUX") and (t.dep_ in ("relcl", "acl") and t.head.i != act.i or _told_as_before(t)
                                          or any(c.dep_ == "mark" and c.lower_ in ("as", "than") for c in t.children)):
            return True
        t = t.head
    return False


def _anchor(sent: Span, stated: list[tuple[str, str, int, int]], published: str | None,
            back: int = 3) -> str | None:
    """The date "the following day" or "the same evening" counts from: the last day the sentence states
    before such words, else the last one of the few sentences before it. A month or a year is no such day
    ("In January 2023 Turkey called off a visit. Biden welcomed the announcement that night."), unless no day
    is stated there at all."""
    first = first_anchored(sent.text)
    if first is None:
        return None
    before = [d for d, _, _, end in stated if end <= first]
    rough = before[-1] if before else None
    if before and len(before[-1]) == 10:
        return before[-1]
    doc, start = sent.doc, sent.start
    for _ in range(back):
        if start == 0:
            break
        prev = doc[start - 1].sent
        dates = find_dates(prev.text, published)
        days = [d for d, *_ in dates if len(d) == 10]
        if days:
            return days[-1]
        rough = rough or (dates[-1][0] if dates else None)
        start = prev.start
    return rough


def _told_as_before(verb: Token) -> bool:
    """A reported act told as done before the report of it, at a time it leaves open ("said Russia had struck
    the port", "said Turkey has eased the rules")."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d", "has", "have", "'s", "'ve")
                                      for c in verb.children)


def _sharing_subject(verb: Token) -> list[Token]:
    """The verb and the verbs above it it is coordinated with and shares its subject with."""
    chain = [verb]
    while verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not has_subject(verb):
        verb = verb.head
        chain.append(verb)
    return chain


SPANS = {"hour": 0, "day": 1, "week": 7}


def _counted_from_main(sent: Span, clause: Token, stated: list[tuple[str, str, int, int]],
                       published: str | None) -> list[tuple[str, str]]:
    """The day of an act told as so long before or after the sentence's main act ("ordered the consul out, a
    day after Ottawa expelled a diplomat"): the main act's day (the one it states, else the report's) moved by
    that much; nothing when the main act's day is not known to the day."""
    mark = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ in ("after", "before")), None)
    amount = next((c for c in clause.children if c.dep_ == "npadvmod" and c.lemma_.lower() in SPANS), None)
    if clause.dep_ != "advcl" or mark is None or amount is None:
        return []
    count = next((c for c in amount.children if c.dep_ in ("nummod", "det")), None)
    n = int(count.text) if count is not None and count.text.isdigit() else \
        NUMBER_WORDS.get(count.lower_ if count is not None else "", 0 if amount.lemma_.lower() == "hour" else None)
    if n is None:
        return []
    main = clause.head
    days = [d for d, _, start, end in stated if (span := sent.char_span(start, end, alignment_mode="expand"))
            is not None and _hangs_on(span.root, main)]
    day = days[0] if days else published
    if not day or len(day) != 10:
        return []
    shift = n * SPANS[amount.lemma_.lower()] * (-1 if mark.lower_ == "after" else 1)
    return [((dt.date.fromisoformat(day) + dt.timedelta(days=shift)).isoformat(),
             sent.doc[amount.left_edge.i:mark.i + 1].text)]


def _hangs_on(date: Token, verb: Token) -> bool:
    """The date modifies the verb itself: "said Tuesday", "said on Tuesday" (not "an interview, the first
    since March 26")."""
    if date.head.i == verb.i:
        return date.dep_ in ("prep", "npadvmod", "advmod", "nmod", "tmod")
    return date.dep_ == "pobj" and date.head.dep_ == "prep" and date.head.head.i == verb.i


def _dates_event(span: Span | None, trigger: Trigger, planned: bool = False) -> bool:
    """A date expression dates the event when it hangs from the trigger or its clause (or from the verb it is
    coordinated with) without passing through another clause that has its own subject ("the situation as it
    existed in December 2016" dates "existed"); or, for an act done, when it hangs right on the verb that
    reports it ("said on Tuesday that he held Iran responsible": an act told in a statement is dated when it
    was stated, unless it is told as done before, "had struck", "has eased", or is still to come)."""
    if span is None:
        return False
    chain = _sharing_subject(trigger.clause)  # "flew to Tbilisi on Wednesday and met officials": both acts' date
    stop = {trigger.token.i, *(v.i for v in chain)}
    top = chain[-1]
    if top.dep_ == "ccomp" and top.head.lemma_.lower() in REPORTING_VERBS and not planned and \
            not _told_as_before(top) and any(_hangs_on(span.root, r) for r in _sharing_subject(top.head)):
        return True  # "rejected the charge the same day and said Pretoria was ...": the reporter's own date
    cur = span.root
    while True:
        if cur.i in stop:
            return True
        if cur.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in cur.children):
            return False
        if cur.head.i == cur.i:
            return False
        cur = cur.head
