"""Merging block by block (blocks.py): the same code for a list in memory, for blocks streamed from the store
and for a Spark group, so all three give the same merged events.

A pair's blocks are independent, except for timeless events (no date, and none in their report), which
today's comparison could join to an event of any month. They are offered to each of their pair's months in
turn (all kinds of the month at once), oldest first, and stay with the first month where they merge; those no
month takes are merged among themselves at the end. Each month's result is then split by kind into blocks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from ..models import Event
from .blocks import block_keys, kind
from .cache import WordingCache
from .merge import MergeResult, describe_events, merge_events


@dataclass
class BlockResult:
    """One block merged: its merged events, their members, the near misses found, and the coded events the
    block ended up holding (timeless ones included where a month took them) with their wording vectors."""

    key: str
    merged: MergeResult
    raw: list[Event] = field(default_factory=list)
    vectors: np.ndarray | None = None


def pair_of(key: str) -> str:
    """The pair part of a block key (JSON [side, side])."""
    return json.dumps(json.loads(key)[:2], ensure_ascii=False)


def is_timeless(key: str) -> bool:
    """Whether a block key is one of a pair's timeless blocks."""
    return json.loads(key)[2] == ""


def month_of(key: str) -> str:
    """A block key without its kind: JSON [side, side, YYYY-MM] (the bucket empty for timeless blocks)."""
    return json.dumps(json.loads(key)[:3], ensure_ascii=False)


class PairMerge:
    """A pair with timeless events merged a month at a time (its kinds together), in key order: each month is
    offered the timeless events no earlier month took (merged in `order` with the month's events), so the
    months can come a batch at a time; `rest` merges those no month took. Results are keyed by month
    (month_of); split_by_kind gives their blocks."""

    def __init__(self, timeless: list[Event], cache: WordingCache, order: Callable[[Event], Any]):
        self.left, self.cache, self.order = list(timeless), cache, order
        self.seen_near: set[tuple[str, str]] = set()

    def months(self, blocks: Iterable[tuple[str, list[Event]]]) -> Iterator[BlockResult]:
        """Merge the next dated blocks (key, events), whole months in key order."""
        for month, group in groupby(blocks, key=lambda kv: month_of(kv[0])):
            events = [ev for _key, evs in group for ev in evs]
            result = _merge(month, sorted(events + self.left, key=self.order), self.cache, self.seen_near)
            if self.left:
                taken = {i for ids in result.merged.members.values() if len(ids) > 1 for i in ids}
                _drop(result, {ev.id for ev in events} | taken)
                self.left = [ev for ev in self.left if ev.id not in taken]
            yield result

    def rest(self) -> Iterator[BlockResult]:
        """The timeless events no month took, merged among themselves."""
        if self.left:
            yield _merge(month_of(block_keys(self.left)[0]), sorted(self.left, key=self.order), self.cache,
                         self.seen_near)


def split_by_kind(result: BlockResult) -> Iterator[BlockResult]:
    """A result as one per block (key: its month's and the kind's); events merge only within a kind, so each
    merged event, coded event and near miss belongs to one. A block already keyed by kind stays whole."""
    if len(json.loads(result.key)) > 3:
        yield result
        return
    parts: dict[str, tuple[BlockResult, list]] = {}

    def part(ev: Event) -> tuple[BlockResult, list]:
        key = json.dumps(json.loads(result.key) + [kind(ev)], ensure_ascii=False)
        return parts.setdefault(key, (BlockResult(key, MergeResult([], {})), []))
    for ev in result.merged.events:
        r, _v = part(ev)
        r.merged.events.append(ev)
        r.merged.members[ev.id] = result.merged.members[ev.id]
    for nm in result.merged.near_misses:
        part(nm.a)[0].merged.near_misses.append(nm)
    for ev, v in zip(result.raw, result.vectors):
        r, vectors = part(ev)
        r.raw.append(ev)
        vectors.append(v)
    for key in sorted(parts):
        r, vectors = parts[key]
        r.vectors = np.stack(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)
        yield r


def _merge(key: str, events: list[Event], cache: WordingCache, seen_near: set) -> BlockResult:
    """Merge one block's events; near misses already found in an earlier month of the pair are left out."""
    wording = describe_events(events, cache)
    merged = merge_events(events, wording)
    fresh = []
    for nm in merged.near_misses:
        if (nm.a.id, nm.b.id) not in seen_near:
            seen_near.add((nm.a.id, nm.b.id))
            fresh.append(nm)
    merged.near_misses = fresh
    return BlockResult(key, merged, events, wording.vectors)


def _drop(result: BlockResult, keep: set[str]) -> None:
    """Leave out of a block's result the timeless events it did not take (they go on to the next month)."""
    gone = {mid for mid, ids in result.merged.members.items() if not keep & set(ids)}
    result.merged.events = [ev for ev in result.merged.events if ev.id not in gone]
    result.merged.members = {mid: ids for mid, ids in result.merged.members.items() if mid not in gone}
    idx = [i for i, ev in enumerate(result.raw) if ev.id in keep]
    result.raw = [result.raw[i] for i in idx]
    result.vectors = result.vectors[idx]


def merge_groups(events: list[Event]) -> dict[str, list[tuple[str, list[Event]]]]:
    """Events grouped by pair, each pair's months (all kinds at once) as (month key, events) in key order
    (the timeless month first)."""
    blocks: dict[str, list[Event]] = {}
    for key, ev in zip(block_keys(events), events):
        blocks.setdefault(month_of(key), []).append(ev)
    pairs: dict[str, list[tuple[str, list[Event]]]] = {}
    for key in sorted(blocks):
        pairs.setdefault(pair_of(key), []).append((key, blocks[key]))
    return pairs


def merge_pair_blocks(blocks: list[tuple[str, list[Event]]], cache: WordingCache,
                      order: Callable[[Event], Any] = lambda ev: ev.id) -> Iterator[BlockResult]:
    """Merge one pair's blocks (as merge_groups gives them, each block's events in `order`): dated blocks
    alone when the pair has no timeless events, else a month at a time (PairMerge). The order of events
    decides only the order of a merged event's steps; the store keeps coded events in id order."""
    timeless = [ev for key, evs in blocks if is_timeless(key) for ev in evs]
    dated = [(key, evs) for key, evs in blocks if not is_timeless(key)]
    if timeless:
        pair = PairMerge(timeless, cache, order)
        yield from pair.months(dated)
        yield from pair.rest()
    else:
        for key, evs in dated:
            yield _merge(key, evs, cache, set())


def merge_blocked(events: list[Event], cache: WordingCache | None = None) -> tuple[MergeResult, list[Event], np.ndarray]:
    """Merge `events` a pair's month at a time (its kinds together, which gives the same merged events as
    block by block): the merged events, the coded events in the order of the vectors, and their wording
    vectors. Events keep their input order inside each month."""
    cache = cache if cache is not None else WordingCache()
    position = {id(ev): i for i, ev in enumerate(events)}
    merged, members, near, raw, vectors = [], {}, [], [], []
    for blocks in merge_groups(events).values():
        for r in merge_pair_blocks(blocks, cache, lambda ev: position[id(ev)]):
            merged += r.merged.events
            members.update(r.merged.members)
            near += r.merged.near_misses
            raw += r.raw
            vectors.append(r.vectors)
    return MergeResult(merged, members, near), raw, np.concatenate(vectors) if vectors else np.zeros((0, 384))
