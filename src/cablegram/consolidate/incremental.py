"""Consolidating a store block by block: only the blocks new documents touched are merged again, one at a
time from the store, and only the stories whose documents or events changed are rebuilt. Peak memory
follows the largest block (and a summary of each document), not the corpus; merged ids are the smallest
member id and story ids the earliest document's, so unrelated data leaves them as they were."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterator

import numpy as np

from ..models import Event
from .blocked import BlockResult, is_timeless, merge_pair_blocks
from .cache import WordingCache
from .merge import NearMiss
from .stories import DocSummary, build_story, group_summaries, story_id, summarise_documents


def _pair_prefix(key: str) -> str:
    """A block key's JSON up to its bucket: what every block of the same pair starts with."""
    a, b, _bucket = json.loads(key)
    return json.dumps([a, b, ""], ensure_ascii=False)[:-3]


def merge_dirty_blocks(store, cache: WordingCache) -> set[str]:
    """Merge again every block the store marks as changed; the documents whose events were merged."""
    by_pair: dict[str, list[str]] = {}
    for key in store.dirty_blocks():
        by_pair.setdefault(_pair_prefix(key), []).append(key)
    touched: set[str] = set()
    for prefix, keys in sorted(by_pair.items()):
        every = store.pair_blocks(prefix)
        if any(is_timeless(k) for k in every):  # timeless events may join any month: the whole pair again
            results = list(merge_pair_blocks([(k, store.block_events(k)) for k in every], cache))
            store.save_blocks(every, results, cache)
            touched |= _documents(results)
            cache.forget()
            continue
        for key in keys:
            results = list(merge_pair_blocks([(key, store.block_events(key))], cache))
            store.save_blocks([key], results, cache)
            touched |= _documents(results)
            cache.forget()
    return touched


def _documents(results: list[BlockResult]) -> set[str]:
    return {m.doc_id for r in results for ev in r.raw for m in ev.mentions}


def _summaries(store) -> dict[str, DocSummary]:
    """Every document's summary, read one document at a time."""
    out: dict[str, DocSummary] = {}

    def close(doc, published, raw, vectors):
        if raw:
            out.update(summarise_documents(raw, np.stack(vectors), {doc: published}))

    doc, published, raw, vectors = None, None, [], []
    for d, pub, data, vector in store.document_rows():
        if d != doc:
            close(doc, published, raw, vectors)
            doc, published, raw, vectors = d, pub, [], []
        raw.append(Event.from_dict(json.loads(data)))
        vectors.append(vector)
    close(doc, published, raw, vectors)
    return out


def _merged_documents(store) -> Iterator[tuple[str, list[str]]]:
    """(merged event id, the document of each of its mentions)."""
    current, docs = None, []
    for mid, doc in store.merged_mentions():
        if mid != current:
            if current is not None:
                yield current, docs
            current, docs = mid, []
        docs.append(doc)
    if current is not None:
        yield current, docs


def rebuild_stories(store, cache: WordingCache, touched: set[str]) -> int:
    """Group every document into stories again (from summaries) and rebuild the stories that hold a touched
    document or whose documents changed; the number of stories."""
    summaries = _summaries(store)
    merged_docs = dict(_merged_documents(store))
    groups = group_summaries(summaries, merged_docs.values())
    home = {d: g for g, docs in enumerate(groups) for d in docs}
    events_of: list[list[str]] = [[] for _ in groups]
    for mid, docs in merged_docs.items():
        votes = Counter(home[d] for d in docs if d in home)
        if votes:
            events_of[min(votes, key=lambda g: (-votes[g], g))].append(mid)
    old = store.story_documents()
    published = {d: s.published for d, s in summaries.items()}
    ids = [story_id(docs, published) for docs in groups]
    keep = {sid for sid, docs in zip(ids, groups) if old.get(sid) == frozenset(docs) and not touched & set(docs)}
    store.replace_stories(sorted(set(old) - set(ids)), [], [])
    for sid, docs, mids in zip(ids, groups, events_of):
        if sid not in keep:
            story, events = _story(store, docs, mids, summaries, cache)
            store.replace_stories([], [story], events, cache)
            cache.forget()
    return len(groups)


def _story(store, docs: list[str], mids: list[str], summaries: dict[str, DocSummary],
           cache: WordingCache) -> tuple[dict, list[Event]]:
    """One story built from the store: its merged events, their members' near misses, its documents."""
    events = store.merged_events_by_id(mids)
    merged_of = store.members_of(mids)
    ours = set(mids)
    rows = [r for r in store.near_misses_of(sorted(merged_of)) if merged_of.get(r[1]) in ours]
    coded = {ev.id: ev for ev in store.coded_events_by_id(sorted({i for r in rows for i in r[:2]}))}
    near = [NearMiss(coded[a], coded[b], reason, s) for a, b, reason, s in rows]
    story = build_story(docs, events, near, summaries, store.document_titles(docs), merged_of, cache)
    return story, events


def consolidate_store(store, full: bool = False) -> int:
    """Bring a store's merged events and stories up to date with its coded events (with `full`, merge every
    block and rebuild every story); the number of stories."""
    if full:
        store.mark_all_blocks()
    cache = WordingCache(lookup_clauses=store.cached_clauses, lookup_vectors=store.cached_vectors)
    touched = merge_dirty_blocks(store, cache)
    return rebuild_stories(store, cache, touched)
