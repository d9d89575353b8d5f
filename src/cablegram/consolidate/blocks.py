"""Blocks: the unit of merging. Two events can merge only when they share a block key, so merging runs one
block at a time (in memory, from the store, or as a Spark group) and a new batch recomputes only the blocks
it touches.

The key is the unordered pair of sides (country, or name where no country is known), a time bucket, the
calendar month of the event's anchor day, and the event's kind: its status and type family (merge.type_family).
Every merge needs the same actor and a compatible recipient, or both sides swapped for a symmetric type, so
events with both sides known that can merge share the pair; and the same status and compatible types. An event
whose recipient is unknown joins the commonest pair of its own report that holds its actor (a report about
India and Pakistan files "India said it would retaliate" under that pair). The anchor is the last day the
event can have happened on: its stated day, the end of its stated month, or its report's date when the text
gives no date or only a year; an event with none of these takes the latest anchor of its report's other
events (a report is written after what it tells). Two events whose anchors fall in different months are never merged; this is
the one merge today's all-pairs comparison could make that blocks cannot (docs/consolidation.md).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from ..models import Event
from .merge import date_span, side, type_family

MAX_SPAN_DAYS = 62  # a stated date covering more than this (a year) anchors on its report's date instead


def anchor(ev: Event) -> str | None:
    """The event's anchor day (YYYY-MM-DD), or None when neither its date nor its reports give one."""
    span = date_span(ev)
    if span is not None and (span[1] - span[0]).days <= MAX_SPAN_DAYS:
        return span[1].isoformat()
    days = sorted(m.published[:10] for m in ev.mentions if m.published and len(m.published) >= 10)
    return days[0] if days else None


def _pair(ev: Event) -> tuple[str, str] | None:
    """The event's two sides in sorted order, or None when one is unknown."""
    a, r = side(ev.actor), side(ev.recipient)
    return tuple(sorted((a, r))) if a is not None and r is not None else None


def report_pairs(events: Iterable[Event]) -> Counter:
    """How often each unordered pair of sides occurs among one report's events."""
    return Counter(p for p in map(_pair, events) if p is not None)


def kind(ev: Event) -> str:
    """The part of the block key that only events able to merge share: status and type family."""
    return f"{ev.status}:{type_family(ev.event_type)}"


def block_key(ev: Event, pairs: Counter, report_day: str | None) -> str:
    """The event's block: JSON [side, side, YYYY-MM, kind]. `pairs` counts the pairs of the event's own report;
    `report_day` (its latest anchor) stands in when neither the event nor its report has a date."""
    pair = _pair(ev)
    if pair is None:
        a = side(ev.actor) or ""
        mine = [p for p in pairs if a in p]
        pair = min(mine, key=lambda p: (-pairs[p], p)) if mine else (a, "")
    day = anchor(ev) or report_day
    return json.dumps([pair[0], pair[1], day[:7] if day else "", kind(ev)], ensure_ascii=False)


def report_keys(events: list[Event]) -> list[str]:
    """The block keys of one report's coded events."""
    pairs = report_pairs(events)
    days = [d for d in map(anchor, events) if d]
    return [block_key(ev, pairs, max(days) if days else None) for ev in events]


def block_keys(events: list[Event]) -> list[str]:
    """Each event's block key, reports told apart by their first mention's document (events coded per
    report have one document)."""
    by_doc: dict[str, list[int]] = {}
    for i, ev in enumerate(events):
        by_doc.setdefault(ev.mentions[0].doc_id if ev.mentions else "", []).append(i)
    keys = [""] * len(events)
    for idx in by_doc.values():
        for i, key in zip(idx, report_keys([events[i] for i in idx])):
            keys[i] = key
    return keys


def group_by_block(events: list[Event]) -> dict[str, list[Event]]:
    """Events by block key, blocks in key order and events in input order inside each."""
    blocks: dict[str, list[Event]] = {}
    for key, ev in zip(block_keys(events), events):
        blocks.setdefault(key, []).append(ev)
    return dict(sorted(blocks.items()))
