"""Growing a block's merged events with its new coded events instead of merging the whole block again.

Each new event is compared with the block's events whose wording is within reach (the same candidate rule as
merge.py: a shared party and a cosine at the lowest threshold) and with the other new events; the pairs go
through the same checks, best pair first, and two clusters join when every pair across them passes (complete
linkage) and at most one of them is an existing merged event. Existing merged events are never split or
joined to each other, so the work follows the new events times the block, not the block's square. A merged
event a new event joins is rebuilt from its members as merge_events builds it (`rebuild`). Where the new
events would have made merging again choose other clusters among the existing events, the two differ
(docs/consolidation.md); `cablegram consolidate` merges every block again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..models import Event
from .cache import WordingCache
from .merge import (FLOOR, MARGIN, Item, MergeResult, _cluster_span, _combine, _enough, candidate_pairs, cosines,
                    date_span, describe_events, explain, join_best_first, judge_pairs, side)


@dataclass
class Growth:
    """A block grown by its new coded events: the merged events it replaces (`gone`), the changed and new
    merged events with their members and the new near misses, and the new coded events with their vectors."""

    key: str
    gone: list[str]
    merged: MergeResult
    raw: list[Event]
    vectors: np.ndarray


def within_reach(new: list[Event], old_vectors: dict[str, np.ndarray], cache: WordingCache) -> set[str]:
    """The coded events merged before (`old_vectors`: their wording vectors by id) whose wording is within
    FLOOR of a new event's: the only ones a new event can join or be a near miss of."""
    if not new or not old_vectors:
        return set()
    ids = list(old_vectors)
    sims = describe_events(new, cache).vectors @ np.stack([old_vectors[i] for i in ids]).T
    return {ids[j] for j in np.nonzero((sims >= FLOOR - MARGIN).any(axis=0))[0].tolist()}


def grow_block(key: str, new: list[Event], near_old: list[Event], members: dict[str, list[str]],
               cache: WordingCache, joins: Callable[[list[str]], dict[str, list[list[str]]]]) -> Growth:
    """Add the block's `new` coded events to its merged events (`members`: merged id -> coded ids), comparing
    them with the coded events merged before that are within reach (`near_old`); `joins(ids)` gives the pairs
    the steps of these merged events joined, so a merged event a new event joins is rebuilt from them."""
    if not new:
        return Growth(key, [], MergeResult([], {}), [], np.zeros((0, 384), dtype=np.float32))
    old = {ev.id: ev for ev in near_old}
    both = sorted(new + list(old.values()), key=lambda ev: ev.id)
    index = {ev.id: i for i, ev in enumerate(both)}
    words = describe_events(both, cache)
    items = [Item(ev, frozenset(m.doc_id for m in ev.mentions), date_span(ev)) for ev in both]
    fresh = [index[ev.id] for ev in new]
    ok, near = _pairs(both, items, words, fresh)
    merged_of = {i: mid for mid, ids in members.items() for i in ids}
    grown = _Clusters({mid: members[mid] for mid in {merged_of[i] for i in old if i in merged_of}}, new)
    span = {ev.id: it for ev, it in zip(both, items)}
    for (a, b), _s in sorted(ok.items(), key=lambda kv: (-kv[1], kv[0])):
        grown.join(a, b, ok, lambda ids: _cluster_span([span[i] for i in ids]) is not False)
    merged, out_members = [], {}
    steps = joins(sorted(grown.replaced))
    for ids in grown.changed():
        mid = next((merged_of[i] for i in ids if i in merged_of), None)
        ev = rebuild([both[index[i]] for i in sorted(ids)], cache, (members[mid], steps[mid]) if mid else None)
        merged.append(ev)
        out_members[ev.id] = sorted(ids)
    return Growth(key, sorted(grown.replaced), MergeResult(merged, out_members, near), new, words.vectors[fresh])


def rebuild(group: list[Event], cache: WordingCache, earlier: tuple[list[str], list[list[str]]] | None = None
            ) -> Event:
    """The merged event merge.merge_events makes of events (id order) that form one cluster: every pair passes
    every check, so merging takes their pairs best first and joins any two clusters (a maximum spanning tree,
    built as merge_events builds it: members and steps of the first event's cluster first); only the pairs it
    joins are explained, where merge_events checks every pair (cosines computed alike, so the same steps).
    `earlier`: the members of the merged event the others join and the pairs its steps joined; when those
    span its members, only they and the pairs with another event are weighed (`_tree_and_new`)."""
    words = describe_events(group, cache)
    items = [Item(ev, frozenset(m.doc_id for m in ev.mentions), date_span(ev)) for ev in group]
    pairs = _tree_and_new(group, words, *earlier) if earlier and _spans(*earlier) else None
    cluster, steps = join_best_first(
        len(group), candidate_pairs(items, words) if pairs is None else pairs,
        lambda a, b, s: {**explain(group[a], group[b], s),
                         "evidence": _enough(group[a], group[b], s, words.object_match(a, b))})
    roots = sorted(cluster)  # one, unless a pair's cosine fell below the floor in its last bits
    return _combine([group[k] for r in roots for k in cluster[r]], [st for r in roots for st in steps[r]])


def _tree_and_new(group: list[Event], words, members: list[str], joined: list[list[str]]
                  ) -> dict[tuple[int, int], float]:
    """The pairs (i < j) taking the best pairs first can join: the spanning tree the merged event's members
    were joined by (any other pair of them closes a cycle of better pairs, which stays) and every pair with an
    event that joins it, with their cosine at or above the floor (all pairs of a cluster are candidates)."""
    index = {ev.id: k for k, ev in enumerate(group)}
    old = {index[i] for i in members}
    new = [k for k in range(len(group)) if k not in old]
    found = {tuple(sorted((index[x], index[y]))) for x, y in joined}
    found |= {(min(k, j), max(k, j)) for k in new for j in range(len(group)) if j != k}
    a, b = (np.array(x, dtype=np.int64) for x in zip(*sorted(found))) if found else (np.zeros(0, np.int64),) * 2
    return {(i, j): s for i, j, s in zip(a.tolist(), b.tolist(), cosines(words.vectors, a, b).tolist()) if s >= FLOOR}


def _spans(members: list[str], joined: list[list[str]]) -> bool:
    """Whether the pairs form a tree over the members (one merged event's steps, as merging writes them)."""
    root = {i: i for i in members}

    def find(i: str) -> str:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    if len(joined) != len(members) - 1 or any(x not in root or y not in root for x, y in joined):
        return False
    for x, y in joined:
        rx, ry = find(x), find(y)
        if rx == ry:
            return False
        root[rx] = ry
    return True


def _pairs(events: list[Event], items: list[Item], words, fresh: list[int]):
    """The pairs of event ids (smaller first) with a new event that pass every check and are worded alike
    enough, with their cosine, and the near misses among them, as merge.merge_events finds them."""
    sides = [{side(ev.actor), side(ev.recipient)} - {None} for ev in events]
    sims = words.vectors[fresh] @ words.vectors.T
    close = {(min(i, j), max(i, j)) for row, i in enumerate(fresh)
             for j in np.nonzero(sims[row] >= FLOOR - MARGIN)[0].tolist() if j != i and sides[i] & sides[j]}
    a, b = (np.array(x, dtype=np.int64) for x in zip(*sorted(close))) if close else (np.zeros(0, np.int64),) * 2
    pairs = {(i, j): s for i, j, s in zip(a.tolist(), b.tolist(), cosines(words.vectors, a, b).tolist()) if s >= FLOOR}
    ok, _why, near = judge_pairs(events, items, pairs, words)
    return {(events[i].id, events[j].id): s for (i, j), s in ok.items()}, near


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
