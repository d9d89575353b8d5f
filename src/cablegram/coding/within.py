"""Document-wide steps after each sentence is coded: dating events by the meeting round or the occasion told
before that they name, and merging the mentions of one happening into one event."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import replace

from ..models import SYMMETRIC, Event
from .candidate import Candidate, same_occasion

SAME_WORDING = 0.34  # share of content words two undated sentences must share to report one event
ELABORATION = 2  # sentences within which a party-less mention joins an event of its type


def sides(ev: Event) -> tuple:
    """(actor, recipient) country codes, sorted for symmetric types so either order compares equal."""
    pair = (ev.actor.country, ev.recipient.country if ev.recipient else None)
    return tuple(sorted(pair, key=lambda c: c or "")) if ev.event_type in SYMMETRIC else pair


def attach_elaborations(candidates: list[Candidate]) -> None:
    """A mention with no parties of its own, of the same type as an event told at most ELABORATION sentences
    away, tells more of that event ("some easing of restrictions ... the process for Russian staff has been
    streamlined ... similar relaxations have been introduced"): it joins the nearest such event."""
    placed = [c for c in candidates if c.events]
    for c in candidates:
        if c.events or c.mention is None:
            continue
        near = [p for p in placed if p.trigger.entry.event_type == c.trigger.entry.event_type
                and abs(p.position - c.position) <= ELABORATION]
        if near:
            for ev in min(near, key=lambda p: abs(p.position - c.position)).events:
                ev.mentions.append(replace(c.mention))


def date_by_round(candidates: list[Candidate]) -> None:
    """Date events the sentence places at an ordinal meeting ("at the second round") by the report's own dated
    meetings, in date order, when the sentence gives no date of its own."""
    days = sorted({ev.date for c in candidates for ev in c.events
                   if ev.event_type == "CONSULT" and ev.date_text and ev.date and len(ev.date) == 10})
    for c in candidates:
        if c.round_ref is None or not days or not -len(days) <= c.round_ref[0] < len(days):
            continue
        for ev in c.events:
            if not ev.date_text and ev.status == "occurred":
                ev.date, ev.date_text = days[c.round_ref[0]], c.round_ref[1]


def date_by_occasion(candidates: list[Candidate]) -> None:
    """Date events told "at the same meeting" or "under the same statement", with no date of their own in
    their sentence, by the day of the latest event with a stated day told before them in the report."""
    for n, c in enumerate(candidates):
        words = same_occasion(c.trigger)
        if words is None:
            continue
        before = [ev for p in candidates[:n] if p.position < c.position for ev in p.events
                  if ev.date_text and ev.date and len(ev.date) == 10]
        for ev in c.events if before else []:
            if not ev.date_text and ev.status == "occurred":
                ev.date, ev.date_text = before[-1].date, words


def _same_event(kept: Event, kept_words: AbstractSet[str], ev: Event, words: AbstractSet[str],
                anaphoric: bool = False) -> bool:
    """Two mentions in one report tell the same event: same type, sides, status and (where both have one) mode,
    compatible dates (the same, or one of them undated in its sentence), and a reason to think it is the same
    happening: a meeting of the same parties, a definite noun pointing back ("the talks"), or much the same wording.
    Different acts between the same pair on the same day stay apart."""
    if (kept.event_type, sides(kept), kept.status) != (ev.event_type, sides(ev), ev.status):
        return False
    if kept.mode and ev.mode and kept.mode != ev.mode:
        return False
    if bool(kept.date_text) == bool(ev.date_text) and kept.date != ev.date:
        return False  # both stated, or both only the report's date, and they differ
    shared = len(kept_words & words) / max(1, min(len(kept_words), len(words)))
    return ev.event_type == "CONSULT" or anaphoric or shared >= SAME_WORDING


def merge_within(candidates: list[Candidate]) -> list[Event]:
    """One event per distinct happening in a document, carrying every sentence that reports it."""
    kept: list[tuple[Event, set[str]]] = []
    for cand in candidates:
        for ev in cand.events:
            match = next((k for k in kept if _same_event(k[0], k[1], ev, cand.words, cand.anaphoric)), None)
            if match is None:
                kept.append((ev, set(cand.words)))
                continue
            target = match[0]
            match[1].update(cand.words)
            if ev.date_text and not target.date_text:
                target.date, target.date_text = ev.date, ev.date_text
            target.mentions += [m for m in ev.mentions if all(m.start != k.start for k in target.mentions)]
            target.location = target.location or ev.location
            target.confidence = max(target.confidence, ev.confidence)
    out = [ev for ev, _ in kept]
    for ev in out:
        ev.assign_id()
    return out
