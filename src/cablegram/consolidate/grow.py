"""Growing a block's merged events with its new coded events instead of merging the whole block again.

Each new event is compared with the block's events whose wording is within reach (the same candidate rule as
merge.py: a shared party and a cosine at the lowest threshold) and with the other new events; the pairs go
through the same checks, best pair first, and two clusters join when every pair across them passes (complete
linkage) and at most one of them is an existing merged event. Existing merged events are never split or
joined to each other, so the work follows the new events times the block, not the block's square. A merged
event a new event joins is rebuilt from its members in the order its merge steps give, as merging the block
again would build it. Where the new events would have made merging again choose other clusters among the
existing events, the two differ (docs/consolidation.md); `cablegram consolidate` merges every block again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..models import Event
from .cache import WordingCache
from .merge import (NEAR_MISS_SIMILARITY, Item, MergeResult, NearMiss, _cluster_span, _disagree, _enough, _failed,
                    date_span, describe_events, merge_events, side)

FLOOR = 0.4  # merge._close_pairs' floor: pairs less alike can neither merge nor be a near miss


@dataclass
class Growth:
    """A block grown by its new coded events: the merged events it replaces (`gone`), the changed and new
    merged events with their members and the new near misses, and the new coded events with their vectors."""

    key: str
    gone: list[str]
    merged: MergeResult
    raw: list[Event]
    vectors: np.ndarray


def grow_block(key: str, new: list[Event], old_vectors: dict[str, np.ndarray], members: dict[str, list[str]],
               read_coded: Callable[[list[str]], list[Event]], cache: WordingCache) -> Growth:
    """Add the block's `new` coded events (id order) to its merged events (`members`: merged id -> coded ids;
    `old_vectors`: the wording vector of each coded event merged before); `read_coded` fetches coded events
    from the store, only those a new event could join."""
    if not new:
        return Growth(key, [], MergeResult([], {}), [], np.zeros((0, 384), dtype=np.float32))
    wording = describe_events(new, cache)
    near_old = _within_reach(wording.vectors, old_vectors)
    old = {ev.id: ev for ev in read_coded(sorted(near_old))}
    both = sorted(new + list(old.values()), key=lambda ev: ev.id)
    index = {ev.id: i for i, ev in enumerate(both)}
    words = describe_events(both, cache)
    items = [Item(ev, frozenset(m.doc_id for m in ev.mentions), date_span(ev)) for ev in both]
    ok, near = _pairs(both, items, words, [index[ev.id] for ev in new])
    merged_of = {i: mid for mid, ids in members.items() for i in ids}
    grown = _Clusters({mid: members[mid] for mid in {merged_of[i] for i in old if i in merged_of}}, new)
    span = {ev.id: it for ev, it in zip(both, items)}
    for (a, b), _s in sorted(ok.items(), key=lambda kv: (-kv[1], kv[0])):
        grown.join(a, b, ok, lambda ids: _cluster_span([span[i] for i in ids]) is not False)
    merged, out_members = [], {}
    for ids in grown.changed():
        group = [both[index[i]] for i in sorted(ids)]
        ev, = merge_events(group, describe_events(group, cache)).events  # its steps as merging the block builds them
        merged.append(ev)
        out_members[ev.id] = sorted(ids)
    return Growth(key, sorted(grown.replaced), MergeResult(merged, out_members, near), new, wording.vectors)


def _within_reach(vectors: np.ndarray, old_vectors: dict[str, np.ndarray]) -> set[str]:
    """The coded events merged before whose wording is within FLOOR of a new event's."""
    if not old_vectors or not len(vectors):
        return set()
    ids = list(old_vectors)
    sims = vectors @ np.stack([old_vectors[i] for i in ids]).T
    return {ids[j] for j in np.nonzero((sims >= FLOOR).any(axis=0))[0].tolist()}


def _pairs(events: list[Event], items: list[Item], words, fresh: list[int]):
    """The pairs of event ids (smaller first) with a new event that pass every check and are worded alike
    enough, with their cosine, and the near misses among them, as merge.merge_events finds them."""
    sides = [{side(ev.actor), side(ev.recipient)} - {None} for ev in events]
    ok: dict[tuple[str, str], float] = {}
    near: list[NearMiss] = []
    sims = words.vectors[fresh] @ words.vectors.T
    pairs: dict[tuple[int, int], float] = {}
    for row, i in enumerate(fresh):
        for j in np.nonzero(sims[row] >= FLOOR)[0].tolist():
            if j != i and sides[i] & sides[j]:
                pairs.setdefault((min(i, j), max(i, j)), float(sims[row, j]))
    for (i, j), s in sorted(pairs.items()):
        failed = _failed(items[i], items[j])
        if not failed:
            if _enough(events[i], events[j], s, words.object_match(i, j)):
                ok[(events[i].id, events[j].id)] = s
        elif len(failed) == 1 and s >= NEAR_MISS_SIMILARITY and _disagree(items[i], items[j], failed[0]):
            near.append(NearMiss(events[i], events[j], failed[0], s))
    return ok, near


class _Clusters:
    """The block's clusters while new events join: the existing merged events a new event could reach (root:
    their id) and each new event alone."""

    def __init__(self, earlier: dict[str, list[str]], new: list[Event]):
        self.lists = {mid: list(ids) for mid, ids in earlier.items()}
        self.lists.update({ev.id: [ev.id] for ev in new})
        self.owner = {i: root for root, ids in self.lists.items() for i in ids}
        self.earlier = set(earlier)
        self.old = set(earlier)  # roots of the clusters that hold an existing merged event
        self.grown: set[str] = {ev.id for ev in new}  # roots of the clusters that hold a new event
        self.replaced: set[str] = set()  # the existing merged events a new event joined

    def join(self, a: str, b: str, ok: dict, spans_meet: Callable[[list[str]], bool]) -> None:
        """Join the clusters of events a and b when every pair across them is `ok`, their dates still meet and
        at most one of them is an existing merged event (merge.merge_events' rule, existing ones kept apart)."""
        ca, cb = self.owner.get(a), self.owner.get(b)
        if ca is None or cb is None or ca == cb or (ca in self.old and cb in self.old):
            return
        x, y = self.lists[ca], self.lists[cb]
        if any((min(p, q), max(p, q)) not in ok for p in x for q in y) or not spans_meet(x + y):
            return
        self.lists[ca] = x + y
        self.replaced |= {ca, cb} & self.earlier
        for i in y:
            self.owner[i] = ca
        if cb in self.old:
            self.old.add(ca)
        self.grown = (self.grown - {cb}) | {ca}
        del self.lists[cb]

    def changed(self) -> list[list[str]]:
        """The members of each cluster that holds a new event."""
        return [self.lists[root] for root in sorted(self.grown)]
