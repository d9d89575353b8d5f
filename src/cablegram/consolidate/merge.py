"""Cross-document event merging: the same real-world event told by several reports becomes one event.

Two events from different documents are joined when their types are compatible, their parties are the
same (either order for symmetric types), their dates and places do not contradict each other, and their
sentences say similar things (MiniLM cosine). Unless both state the same day, they must also be about
the same object (a content phrase of one close to one of the other: "banking services") or be worded
very alike. Clusters grow best pair first; every pair inside a cluster must pass, so an undated report
never chains two dated rounds together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from ..models import SYMMETRIC, Event
from .cache import WordingCache

# Types that name the same act at different stages: promised vs signed, agreed vs done, expel vs deport.
COMPATIBLE = frozenset({frozenset({"AGREE", "SUPPORT"}), frozenset({"AGREE", "CONCEDE"}),
                        frozenset({"SANCTION", "COERCE"})})
SAME_TYPE_SIMILARITY = 0.45  # cosine between MiniLM sentence vectors, same event type
CROSS_TYPE_SIMILARITY = 0.55  # compatible but different types need closer wording
OBJECT_SIMILARITY = 0.7  # two content phrases name the same object (or share their head noun)
WITH_OBJECT_SIMILARITY = 0.4  # sentences about the same object may differ more (one sentence, two events)
WORDING_ALONE = 0.6  # without the same stated day or a shared object, sentences must be this close
NEAR_MISS_SIMILARITY = 0.7  # same-looking events kept apart by one check: reported as disagreements
DISAGREE_DAYS = 3  # stated days this close for the same act read as outlets disagreeing, not two acts
REPORT_WINDOW_DAYS = 10  # an event dated only by its report happened at most this long before it
MARGIN = 1e-4  # a matrix product finds the pairs near a threshold, their own cosines (cosines) decide
FLOOR = min(SAME_TYPE_SIMILARITY, CROSS_TYPE_SIMILARITY, WITH_OBJECT_SIMILARITY, NEAR_MISS_SIMILARITY)
# the lowest threshold: pairs less alike can neither merge nor be a near miss


@dataclass
class Item:
    """One event with what the comparisons need, computed once."""

    event: Event
    docs: frozenset[str]
    span: tuple[date, date] | None  # days the event can have happened in; None: unknown


@dataclass
class Wording:
    """What each event says: a unit sentence vector, its content phrases and their unit vectors."""

    vectors: np.ndarray
    objects: list[list[str]]
    object_vectors: list[np.ndarray]

    def object_match(self, i: int, j: int) -> tuple[float, str] | None:
        """The closest pair of content phrases of events i and j (phrases with the same head noun count
        as identical: 'six properties' and 'diplomatic property'), or None when one has none."""
        a, b = self.object_vectors[i], self.object_vectors[j]
        if not len(a) or not len(b):
            return None
        sims = a @ b.T
        for x, p in enumerate(self.objects[i]):
            for y, q in enumerate(self.objects[j]):
                if p.split()[-1] == q.split()[-1]:
                    sims[x, y] = 1.0
        x, y = np.unravel_index(int(np.argmax(sims)), sims.shape)
        return float(sims[x, y]), f"{self.objects[i][x]} ~ {self.objects[j][y]}"


@dataclass
class NearMiss:
    """Two events from different documents that read alike but one check kept apart: a possible disagreement."""

    a: Event
    b: Event
    reason: str  # "date" or "parties" or "place"
    similarity: float


@dataclass
class MergeResult:
    """Merged events (one per cluster, every mention kept) and the near misses found on the way."""

    events: list[Event]
    members: dict[str, list[str]]  # merged event id -> ids of the events it was built from
    near_misses: list[NearMiss] = field(default_factory=list)


def _day_span(value: str) -> tuple[date, date] | None:
    """The days a YYYY, YYYY-MM or YYYY-MM-DD date covers."""
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return d, d
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, TypeError):
        return None


def is_report_date(ev: Event) -> bool:
    """True when the event's date is only its report's publication date (the text gave none)."""
    return bool(ev.date) and not ev.date_text and any(m.published == ev.date for m in ev.mentions)


def date_span(ev: Event) -> tuple[date, date] | None:
    """The days the event can have happened on: its stated date, or the days before its report."""
    if not ev.date:
        return None
    span = _day_span(ev.date)
    if span and is_report_date(ev):
        return span[0] - timedelta(days=REPORT_WINDOW_DAYS), span[1]
    return span


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> tuple[date, date] | None | bool:
    """Intersection of two spans (None is unbounded); False when they do not meet."""
    if a is None:
        return b
    if b is None:
        return a
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else False


def side(p) -> str | None:
    """What stands for a party when comparing: its country, else its name or words (lower case)."""
    return (p.country or (p.name or p.text).lower()) if p is not None else None


def types_match(a: Event, b: Event) -> str | None:
    """How the types match ('same' or 'compatible'), or None."""
    if a.event_type == b.event_type:
        return "same"
    return "compatible" if frozenset({a.event_type, b.event_type}) in COMPATIBLE else None


def _families() -> dict[str, str]:
    """Each type that has compatible types -> the name of all types it can be linked to (AGREE~CONCEDE~SUPPORT)."""
    groups: list[set[str]] = []
    for pair in COMPATIBLE:
        groups = [g for g in groups if not g & pair] + [set(pair).union(*(g for g in groups if g & pair))]
    return {t: "~".join(sorted(g)) for g in groups for t in g}


FAMILIES = _families()


def type_family(event_type: str) -> str:
    """The types an event can merge with, as one name: a type alone, or its compatible types joined."""
    return FAMILIES.get(event_type, event_type)


def parties_match(a: Event, b: Event) -> str | None:
    """How the parties match, or None. A missing recipient is compatible with any; symmetric types
    (and a symmetric type paired with a compatible one) accept either order."""
    a1, a2, b1, b2 = side(a.actor), side(a.recipient), side(b.actor), side(b.recipient)
    if a1 == b1 and (a2 == b2 or a2 is None or b2 is None):
        return "same" if a2 == b2 else "same actor, one recipient unknown"
    symmetric = a.event_type in SYMMETRIC or b.event_type in SYMMETRIC
    if symmetric and a2 is not None and b2 is not None and a1 == b2 and a2 == b1:
        return "same, either order (symmetric type)"
    return None


def places_match(a: Event, b: Event) -> str | None:
    """How the places match, or None when both are known and in different countries (city names are
    too often the place of filing or of a mission rather than of the event to be compared)."""
    la, lb = a.location, b.location
    if la is None or lb is None:
        return "one or both unknown"
    if la.country and lb.country and la.country != lb.country:
        return None
    return f"same country ({la.country})" if la.country else "no country known"


def _describe_date(ev: Event) -> str:
    """A date for explanations, saying when it is only the report's date."""
    if not ev.date:
        return "undated"
    return f"{ev.date} (report date)" if is_report_date(ev) else ev.date


def explain(a: Event, b: Event, similarity: float) -> dict:
    """What matched between two events, for `cablegram why`."""
    return {
        "joined": [a.id, b.id],
        "types": f"{a.event_type} = {b.event_type}" if a.event_type == b.event_type
                 else f"{a.event_type} ~ {b.event_type} (compatible)",
        "parties": f"{side(a.actor)}/{side(a.recipient)} ~ {side(b.actor)}/{side(b.recipient)}: "
                   f"{parties_match(a, b)}",
        "dates": f"{_describe_date(a)} ~ {_describe_date(b)}",
        "places": places_match(a, b),
        "similarity": round(float(similarity), 3),
    }


def _failed(a: Item, b: Item) -> list[str]:
    """The hard checks two events fail: 'documents', 'status', 'type', 'parties', 'date', 'place'."""
    checks = (("documents", not (a.docs & b.docs)), ("status", a.event.status == b.event.status),
              ("type", types_match(a.event, b.event) is not None),
              ("parties", parties_match(a.event, b.event) is not None),
              ("date", _overlap(a.span, b.span) is not False),
              ("place", places_match(a.event, b.event) is not None))
    return [name for name, passed in checks if not passed]


def describe_events(events: list[Event], cache: WordingCache | None = None) -> Wording:
    """What each event says, from the clause of its trigger in each mention (not the whole sentence, which
    may report several events): the mean MiniLM vector of those clauses and their content phrases."""
    cache = cache or WordingCache()
    keys = [(m.sentence, m.trigger) for ev in events for m in ev.mentions]
    if not keys:
        empty = np.zeros((0, 384), dtype=np.float32)
        return Wording(np.zeros((len(events), 384), dtype=np.float32), [[] for _ in events], [empty for _ in events])
    found = cache.clauses_for(keys)
    clauses = [[found[(m.sentence, m.trigger)][0] for m in ev.mentions] for ev in events]
    objects = [list(dict.fromkeys(p for m in ev.mentions for p in found[(m.sentence, m.trigger)][1]))
               for ev in events]
    texts = list(dict.fromkeys([t for ts in clauses for t in ts] + [p for ps in objects for p in ps]))
    vector = dict(zip(texts, cache.encode(texts)))  # the whole block in one call
    out = np.stack([np.stack([vector[t] for t in ts]).mean(axis=0) for ts in clauses])
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    object_vectors = [np.stack([vector[p] for p in ps]) if ps else np.zeros((0, 384), dtype=np.float32)
                      for ps in objects]
    return Wording(out, objects, object_vectors)


def same_stated_day(a: Event, b: Event) -> bool:
    """Both events state the same day (not just their reports' dates): strong evidence on its own."""
    return bool(a.date and len(a.date) == 10 and a.date == b.date and not is_report_date(a) and not is_report_date(b))


def merge_events(events: list[Event], wording: Wording | None = None) -> MergeResult:
    """Merge events across documents. Input events keep their ids; each output event is a new object
    whose id is the smallest member id (stable while that member stays), with every mention."""
    if not events:
        return MergeResult([], {})
    items = [Item(ev, frozenset(m.doc_id for m in ev.mentions), date_span(ev)) for ev in events]
    sims: dict[tuple[int, int], float] = {}
    if len(frozenset().union(*(it.docs for it in items))) > 1:  # one report's events were merged when coded
        wording = wording or describe_events(events)
        sims = candidate_pairs(items, wording)
    ok, why, near = judge_pairs(events, items, sims, wording)

    def may_join(a: list[int], b: list[int]) -> bool:
        """Complete linkage on the hard checks and thresholds: every pair must match, and the dates agree."""
        return all((min(p, q), max(p, q)) in ok for p in a for q in b) and \
            _cluster_span([items[k] for k in a + b]) is not False

    cluster, steps = join_best_first(
        len(items), ok, lambda i, j, s: {**explain(events[i], events[j], s), "evidence": why[(i, j)]}, may_join)
    merged, members = [], {}
    for root, idx in sorted(cluster.items()):
        ev = _combine([events[k] for k in idx], steps[root])
        merged.append(ev)
        members[ev.id] = sorted(events[k].id for k in idx)
    return MergeResult(merged, members, near)


def join_best_first(n: int, pairs: dict[tuple[int, int], float], step: Callable[[int, int, float], dict],
                    may_join: Callable[[list[int], list[int]], bool] = lambda a, b: True
                    ) -> tuple[dict[int, list[int]], dict[int, list[dict]]]:
    """Clusters of n items (by the smallest index of each, its members and its merge steps) from their pairs
    (i < j, with their cosine), best pair first, ties in pair order: two clusters join when `may_join` lets
    them, and the join adds `step(i, j, cosine)` after both clusters' own steps."""
    cluster = {i: [i] for i in range(n)}
    owner = list(range(n))
    steps: dict[int, list[dict]] = {i: [] for i in range(n)}
    for (i, j), s in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        ci, cj = owner[i], owner[j]
        if ci == cj or not may_join(cluster[ci], cluster[cj]):
            continue
        steps[ci] = steps[ci] + steps.pop(cj) + [step(i, j, s)]
        cluster[ci] = cluster[ci] + cluster.pop(cj)
        for k in cluster[ci]:
            owner[k] = ci
        if len(cluster) == 1:
            break
    return cluster, steps


def judge_pairs(events: list[Event], items: list[Item], sims: dict[tuple[int, int], float], wording: Wording | None
                ) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], str], list[NearMiss]]:
    """Of the candidate pairs (i < j, with their cosine), those that pass every check and are worded alike
    enough (with their cosine, and why they are enough), and the near misses, in pair order."""
    ok: dict[tuple[int, int], float] = {}
    why: dict[tuple[int, int], str] = {}
    near: list[NearMiss] = []
    for i, j in sorted(sims):
        failed = _failed(items[i], items[j])
        s = sims[(i, j)]
        if not failed:
            enough = _enough(events[i], events[j], s, wording.object_match(i, j))
            if enough:
                ok[(i, j)], why[(i, j)] = s, enough
        elif len(failed) == 1 and s >= NEAR_MISS_SIMILARITY and _disagree(items[i], items[j], failed[0]):
            near.append(NearMiss(events[i], events[j], failed[0], s))
    return ok, why, near


def candidate_pairs(items: list[Item], wording: Wording) -> dict[tuple[int, int], float]:
    """Pairs (i < j) of events that share a party, a status and a type family (only those can match, or
    disagree on who, when or where) and whose wording is within reach of a threshold, with their cosine."""
    by_side: dict[tuple, list[int]] = {}
    for i, it in enumerate(items):
        kind = (it.event.status, type_family(it.event.event_type))
        for s in {side(it.event.actor), side(it.event.recipient)} - {None}:
            by_side.setdefault((s, kind), []).append(i)
    sims: dict[tuple[int, int], float] = {}
    for idx in by_side.values():
        sims.update(_close_pairs(wording.vectors, np.asarray(idx)))
    return sims


def _close_pairs(vectors: np.ndarray, sub: np.ndarray, rows: int = 512) -> dict[tuple[int, int], float]:
    """Pairs (i < j) of the events `sub` whose wording could ever be enough (cosine at the lowest threshold),
    with their cosine; found a slice of rows at a time, so memory follows the pairs found, not n squared."""
    found = {}
    for lo in range(0, len(sub), rows):
        block = vectors[sub[lo:lo + rows]] @ vectors[sub].T
        x, y = np.nonzero(np.triu(block >= FLOOR - MARGIN, k=lo + 1))
        a, b = np.minimum(sub[lo + x], sub[y]), np.maximum(sub[lo + x], sub[y])
        exact = cosines(vectors, a, b)
        keep = exact >= FLOOR
        found.update(zip(zip(a[keep].tolist(), b[keep].tolist()), exact[keep].tolist()))
    return found


def cosines(vectors: np.ndarray, a: np.ndarray, b: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """The cosines of the pairs of unit vectors (a[k], b[k]), each computed on its own (float64 products summed,
    rounded to float32): a matrix product's last bits depend on its shape, so a pair's cosine would differ
    between a block, a batch and a cluster, and so could the order of pairs alike."""
    out = np.empty(len(a), dtype=np.float32)
    for lo in range(0, len(a), chunk):
        x = vectors[a[lo:lo + chunk]].astype(np.float64)
        out[lo:lo + chunk] = (x * vectors[b[lo:lo + chunk]].astype(np.float64)).sum(axis=1)
    return out


def _disagree(a: Item, b: Item, failed: str) -> bool:
    """Whether alike events kept apart by one check look like outlets disagreeing about one act: stated
    days at most DISAGREE_DAYS apart, or other parties or places on the same stated day. Further apart,
    they are more likely two acts (two rounds of talks)."""
    if failed == "date":
        stated = not is_report_date(a.event) and not is_report_date(b.event)
        return stated and a.span is not None and b.span is not None and len(a.event.date) == len(b.event.date) == 10 \
            and abs((a.span[0] - b.span[0]).days) <= DISAGREE_DAYS
    return failed in ("parties", "place") and same_stated_day(a.event, b.event)


def _enough(a: Event, b: Event, similarity: float, objects: tuple[float, str] | None) -> str | None:
    """Whether the wording is enough to join two otherwise compatible events, and why (for `why`)."""
    if objects is not None and objects[0] >= OBJECT_SIMILARITY and similarity >= WITH_OBJECT_SIMILARITY:
        return f"same object: {objects[1]} ({objects[0]:.2f})"
    if similarity < (SAME_TYPE_SIMILARITY if a.event_type == b.event_type else CROSS_TYPE_SIMILARITY):
        return None
    if same_stated_day(a, b):
        return f"same stated day {a.date}"
    if similarity >= WORDING_ALONE:
        return f"wording alone ({similarity:.2f})"
    return None


def _cluster_span(items: list[Item]):
    """The days every member's date allows (None: unbounded), or False when they allow none together."""
    span = None
    for it in items:
        span = _overlap(span, it.span)
        if span is False:
            return False
    return span


def _combine(group: list[Event], steps: list[dict]) -> Event:
    """One event from a cluster: the commonest type, the best-specified parties, the most precise stated
    date, every mention (ordered by document and offset), GDELT-style source and article counts."""
    counts = Counter(ev.event_type for ev in group)
    lead = max(group, key=lambda ev: (counts[ev.event_type], ev.recipient is not None,
                                      ev.date is not None and not is_report_date(ev), ev.confidence))
    stated = [ev for ev in group if ev.date and not is_report_date(ev)]
    dated = max(stated, key=lambda ev: len(ev.date)) if stated else lead
    mentions = sorted((m for ev in group for m in ev.mentions), key=lambda m: (m.doc_id, m.start))
    out = Event(event_type=lead.event_type, actor=lead.actor, recipient=lead.recipient, status=lead.status,
                mode=lead.mode, context=list(lead.context), confidence=max(ev.confidence for ev in group),
                date=dated.date, date_text=dated.date_text, date_source=dated.date_source,
                location=lead.location or next((ev.location for ev in group if ev.location), None),
                mentions=mentions, id=min(ev.id for ev in group), merge=steps)
    out.num_articles = len({m.doc_id for m in mentions})
    out.num_sources = len({m.source or f"document {m.doc_id}" for m in mentions})
    return out

