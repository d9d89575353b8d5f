"""Merging and stories for `cablegram spark`: coded events grouped by block on the executors and merged
with the same code as a local ingest (consolidate.blocked); stories built on the driver from the merged
events and a summary of each document, as the store builds them.

A group is one block, or a whole pair when the pair has timeless events (they may join any of its months).
Each group returns its merged events, its near misses, the wording vector of each coded event, and the
clause parses and text vectors it computed; the driver groups documents into stories from the vectors'
per-document means and finds their issues from those parses and vectors (it parses only the reports' leads),
and writes both tables.
"""

from __future__ import annotations

import json
from typing import Iterator

import numpy as np

from .consolidate.blocked import is_timeless, merge_pair_blocks, pair_of
from .consolidate.cache import WordingCache
from .consolidate.merge import NearMiss
from .consolidate.stories import assign_events, build_story, group_summaries, prepare_stories, summarise_documents
from .models import Event
from .store.stories_sql import _text_vector, _vector_text

GROUP_SCHEMA = "kind string, id string, doc_id string, event string, other string, reason string, " \
               "similarity double, vector string"
_cache: WordingCache | None = None


def group_key(block: str, timeless_pairs: frozenset[str]) -> str:
    """What a coded event is grouped by: its block, or its pair when the pair has timeless events."""
    pair = pair_of(block)
    return pair if pair in timeless_pairs else block


def merge_group(frame):
    """applyInPandas body: one group's coded events (columns `event`, `block`) -> merged events ('merged'),
    near misses ('near'), each coded event's wording vector ('vector'), and the parses ('clause') and text vectors
    ('text') it computed."""
    import pandas as pd

    global _cache
    if _cache is None:
        _cache = WordingCache()
    events = {}
    for text, block in zip(frame["event"], frame["block"]):
        ev = Event.from_dict(json.loads(text))
        events.setdefault(ev.id, (ev, block))  # one event per id, as the store keeps them
    events = [events[i] for i in sorted(events)]
    blocks: dict[str, list[Event]] = {}
    for ev, block in events:
        blocks.setdefault(block, []).append(ev)
    rows = []
    for r in merge_pair_blocks(sorted(blocks.items()), _cache):
        for ev in r.merged.events:
            rows.append({"kind": "merged", "id": ev.id, "event": json.dumps(ev.to_dict(), ensure_ascii=False),
                         "other": json.dumps(r.merged.members[ev.id])})
        for nm in r.merged.near_misses:
            rows.append({"kind": "near", "id": nm.a.id, "event": json.dumps(nm.a.to_dict(), ensure_ascii=False),
                         "other": json.dumps(nm.b.to_dict(), ensure_ascii=False), "reason": nm.reason,
                         "similarity": nm.similarity, "doc_id": r.key})
        for ev, v in zip(r.raw, r.vectors):
            rows.append({"kind": "vector", "id": ev.id, "doc_id": ev.mentions[0].doc_id if ev.mentions else "",
                         "event": json.dumps(ev.to_dict(), ensure_ascii=False), "vector": _vector_text(v)})
    rows += _cache_rows(_cache)
    _cache.forget()
    columns = [c.split()[0] for c in GROUP_SCHEMA.split(", ")]
    return pd.DataFrame({c: pd.Series([row.get(c) for row in rows],
                                      dtype="float64" if c == "similarity" else object) for c in columns})


def _cache_rows(cache: WordingCache) -> list[dict]:
    """The parses ('clause') and vectors ('text') a group computed, so the driver's stories need not compute
    them again (a vector does not depend on the batch that embedded it)."""
    rows = [{"kind": "clause", "id": sentence, "other": trigger, "event": json.dumps(found, ensure_ascii=False)}
            for (sentence, trigger), found in cache.fresh_clauses.items()]
    return rows + [{"kind": "text", "id": text, "vector": _vector_text(v)} for text, v in cache.fresh_vectors.items()]


def _near_order(row) -> tuple:
    """Near misses in the order a store lists them (blocks by key, a pair's timeless block after its months)."""
    a, b, bucket = json.loads(row.doc_id)[:3]
    return a, b, bucket == "", bucket, row.id, json.loads(row.other)["id"]


def build_stories(rows: Iterator, documents: dict[str, dict]) -> tuple[list[Event], list[dict]]:
    """The merged events (story ids set) and stories from the rows merge_group returned; `documents` maps a
    document id to {title, source, published}."""
    merged, members, near, raw, vectors = [], {}, [], [], []
    cache = WordingCache()
    for row in rows:
        if row.kind == "clause":
            clause, phrases = json.loads(row.event)
            cache.clauses[(row.id, row.other)] = (clause, phrases)
        elif row.kind == "text":
            cache.vectors[row.id] = _text_vector(row.vector)
        elif row.kind == "merged":
            ev = Event.from_dict(json.loads(row.event))
            merged.append(ev)
            members[ev.id] = json.loads(row.other)
        elif row.kind == "near":
            near.append(row)
        else:
            raw.append(Event.from_dict(json.loads(row.event)))
            vectors.append(_text_vector(row.vector))
    published = {d: meta.get("published") for d, meta in documents.items()}
    summaries = summarise_documents(raw, np.stack(vectors) if vectors else np.zeros((0, 384)), published)
    groups = group_summaries(summaries, ([m.doc_id for m in ev.mentions] for ev in merged))
    merged_of = {raw_id: mid for mid, ids in members.items() for raw_id in ids}
    parts = assign_events(groups, merged)
    story_of = {ev.id: g for g, evs in enumerate(parts) for ev in evs}
    near_of: list[list[NearMiss]] = [[] for _ in groups]
    for row in sorted(near, key=_near_order):
        a, b = Event.from_dict(json.loads(row.event)), Event.from_dict(json.loads(row.other))
        ga, gb = story_of.get(merged_of.get(a.id)), story_of.get(merged_of.get(b.id))
        if ga is not None and ga == gb:
            near_of[ga].append(NearMiss(a, b, row.reason, row.similarity))
    prepare_stories(cache, list(zip(groups, parts)), summaries, documents)
    stories = [build_story(docs, evs, near_of[g], summaries, documents, merged_of, cache)
               for g, (docs, evs) in enumerate(zip(groups, parts))]
    return merged, stories


def timeless_pairs(blocks: list[str]) -> frozenset[str]:
    """The pairs among these block keys that have a timeless block."""
    return frozenset(pair_of(b) for b in blocks if is_timeless(b))
