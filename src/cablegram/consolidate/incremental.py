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
from .blocked import BlockResult, PairMerge, is_timeless, merge_pair_blocks, month_of, split_by_kind
from .cache import WordingCache
from .grow import grow_block, within_reach
from .merge import NearMiss
from .stories import (DocSummary, group_summaries, prepare_stories, story_from_chunks, story_id,
                      summarise_documents)

BATCH_EVENTS = 2000  # coded events read, merged and written together at most (memory stays bounded by it)
SUMMARY_DOCUMENTS = 1000  # documents whose summaries are computed and saved together


def _pair_prefix(key: str) -> str:
    """A block key's JSON up to its bucket: what every block of the same pair starts with."""
    return json.dumps(json.loads(key)[:2] + [""], ensure_ascii=False)[:-3]


def merge_dirty_blocks(store, cache: WordingCache, full: bool = False) -> set[str]:
    """Bring every block the store marks as changed up to date, BATCH_EVENTS coded events at a time (a larger
    block alone; a pair with timeless events every block, whole months at a time): a block with merged events
    grows by its new coded events (grow.py), unless `full`, and any other is merged again; the documents whose
    merged events changed."""
    by_pair: dict[str, list[str]] = {}
    for key in store.dirty_blocks():
        by_pair.setdefault(_pair_prefix(key), []).append(key)
    touched: set[str] = set()
    timeless = {_pair_prefix(key) for key in store.timeless_blocks()}
    plain = []
    for prefix, keys in sorted(by_pair.items()):
        if prefix in timeless:
            touched |= _merge_timeless_pair(store, cache, prefix)
        else:
            plain += keys
    for keys in _batches(store.block_sizes(sorted(plain))):
        if not full:
            found = store.growth(keys)
            touched |= _grow_and_save(store, cache, [(k, *found[k]) for k in keys if found[k][1]])
            keys = [k for k in keys if not found[k][1]]
            if not keys:
                continue
        blocks = store.blocks_events(keys)
        touched |= _merge_and_save(store, cache, keys, lambda: (r for key in keys for r in merge_pair_blocks(
            [(key, blocks[key])], cache)), [ev for evs in blocks.values() for ev in evs])
    return touched


def _merge_timeless_pair(store, cache: WordingCache, prefix: str) -> set[str]:
    """Merge again every block of a pair with timeless events (they may join any month), whole months in
    batches of about BATCH_EVENTS coded events, carrying the timeless events no month took yet from one batch
    to the next; the documents whose events were merged. Every block is marked first, so a run stopped
    part-way merges the whole pair again."""
    every = store.pair_blocks(prefix)
    store.mark_blocks(every)
    timeless = [k for k in every if is_timeless(k)]
    left = [ev for evs in store.blocks_events(timeless).values() for ev in evs]
    pair = PairMerge(left, cache, lambda ev: ev.id)
    moved = [ev.id for ev in left]  # stored under the month that took them, or their own block
    months: dict[str, list[str]] = {}
    for key in every:
        if not is_timeless(key):
            months.setdefault(month_of(key), []).append(key)
    sizes = dict(store.block_sizes([k for keys in months.values() for k in keys]))
    touched: set[str] = set()
    for batch in _batches([(m, sum(sizes.get(k, 0) for k in keys)) for m, keys in months.items()]):
        keys = [k for m in batch for k in months[m]]
        blocks = store.blocks_events(keys)
        touched |= _merge_and_save(store, cache, keys, lambda: pair.months(sorted(blocks.items())),
                                   [ev for evs in blocks.values() for ev in evs] + pair.left, moved)
    return touched | _merge_and_save(store, cache, timeless, pair.rest, pair.left, moved)


def _batches(sizes: list[tuple[str, int]]) -> Iterator[list[str]]:
    """Block keys in batches of at most BATCH_EVENTS coded events (a larger block alone)."""
    batch, count = [], 0
    for key, n in sizes:
        if batch and count + n > BATCH_EVENTS:
            yield batch
            batch, count = [], 0
        batch.append(key)
        count += n
    if batch:
        yield batch


def _merge_and_save(store, cache: WordingCache, keys: list[str], merge, events: list[Event],
                    moved: list[str] = ()) -> set[str]:
    """Merge a batch of blocks (`merge()` yields their results) with the cache filled from the store in one
    go, and save them in one transaction (`moved`: timeless events, which another block may have held);
    the documents whose events were merged."""
    cache.prepare([(m.sentence, m.trigger) for ev in events for m in ev.mentions])
    results = [part for r in merge() for part in split_by_kind(r)]
    moved = set(moved) & {ev.id for r in results for ev in r.raw}
    store.save_blocks(sorted(set(keys) | {r.key for r in results}), results, cache, sorted(moved))
    cache.forget()
    return _documents(results)


def _grow_and_save(store, cache: WordingCache, blocks: list[tuple]) -> set[str]:
    """Grow blocks (key, new coded events, merged members, vectors of the merged coded events) by their new
    events, reading the coded events within their reach and filling the cache from the store in one go, and
    save them in one transaction; the documents of the merged events that changed."""
    if not blocks:
        return set()
    cache.prepare([(m.sentence, m.trigger) for _key, new, _members, _vectors in blocks for ev in new
                   for m in ev.mentions])
    reach = {key: within_reach(new, vectors, cache) for key, new, _members, vectors in blocks}
    old = {ev.id: ev for ev in store.coded_events_by_id(sorted(set().union(*reach.values())))}
    cache.prepare([(m.sentence, m.trigger) for ev in old.values() for m in ev.mentions])
    growths = [grow_block(key, new, [old[i] for i in sorted(reach[key])], members, cache, store.merged_joins)
               for key, new, members, _vectors in blocks]
    store.save_growth(growths, cache)
    cache.forget()
    return {m.doc_id for g in growths for ev in g.merged.events for m in ev.mentions}


def _documents(results: list[BlockResult]) -> set[str]:
    """The documents of the coded events the blocks held."""
    return {m.doc_id for r in results for ev in r.raw for m in ev.mentions}


def _summaries(store) -> dict[str, DocSummary]:
    """Every document's summary: saved ones as they are, the others computed from their coded events (one
    document at a time) and saved SUMMARY_DOCUMENTS at a time, so a batch reads the events of its new
    documents only and a full consolidation never holds every document's events."""
    missing = store.unsummarised_documents()
    for start in range(0, len(missing), SUMMARY_DOCUMENTS):
        fresh: dict[str, DocSummary] = {}

        def close(doc, published, raw, vectors):
            if raw:
                fresh.update(summarise_documents(raw, np.stack(vectors), {doc: published}))

        doc, published, raw, vectors = None, None, [], []
        for d, pub, data, vector in store.document_rows(missing[start:start + SUMMARY_DOCUMENTS]):
            if d != doc:
                close(doc, published, raw, vectors)
                doc, published, raw, vectors = d, pub, [], []
            raw.append(Event.from_dict(json.loads(data)))
            vectors.append(vector)
        close(doc, published, raw, vectors)
        store.save_summaries(fresh)
    return {d: DocSummary(frozenset(tuple(p) for p in json.loads(dyads)), vector, published, (start, lead))
            for d, published, dyads, vector, start, lead in store.summaries()}


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
    stale = [(docs, mids) for sid, docs, mids in zip(ids, groups, events_of) if sid not in keep]
    for batch in _batches([(i, max(1, len(mids))) for i, (_docs, mids) in enumerate(stale)]):
        stories, moved = _stories(store, [stale[i] for i in batch], summaries, cache)
        store.replace_stories([], stories, moved, cache)
        cache.forget()
    return len(groups)


def _stories(store, batch: list[tuple[list[str], list[str]]], summaries: dict[str, DocSummary],
             cache: WordingCache) -> tuple[list[dict], list[tuple[str, str]]]:
    """Stories (documents, merged event ids) built from the store, a batch at a time, from their merged
    events (without merge steps), their members' near misses and their documents; and (id, story id) of the
    merged events whose story changed. A story of more than BATCH_EVENTS events (alone in its batch) is read
    BATCH_EVENTS events at a time, twice, so its memory does not grow with it."""
    mids = [m for _docs, ms in batch for m in ms]
    known = {i: (date, sid) for i, date, sid in store.merged_dates(mids)}
    rows = store.near_misses_in(mids)
    coded = {ev.id: ev for ev in store.coded_events_by_id(sorted({i for r in rows for i in r[:2]}))}
    merged_of = {coded_id: mid for r in rows for coded_id, mid in ((r[0], r[4]), (r[1], r[5]))}
    titles = store.document_titles(sorted({d for docs, _ms in batch for d in docs}))
    held = len(mids) <= BATCH_EVENTS
    if held:
        events = {ev.id: ev for ev in store.merged_events_by_id(mids, steps=False)}
        prepare_stories(cache, [(docs, [events[m] for m in ms]) for docs, ms in batch], summaries, titles)
    stories, moved = [], []
    for docs, ms in batch:
        sid = story_id(docs, {d: summaries[d].published for d in docs})
        order = sorted(ms, key=lambda m: (known[m][0] is None, known[m][0] or "", m))  # stories.event_order
        moved += [(m, sid) for m in order if known[m][1] != sid]
        ours = set(ms)
        near = [NearMiss(coded[a], coded[b], reason, sim) for a, b, reason, sim, ma, mb in rows
                if ma in ours and mb in ours]
        chunks = (lambda order=order: [[events[m] for m in order]]) if held else \
            (lambda order=order: (_events_in_order(store, order[i:i + BATCH_EVENTS])
                                  for i in range(0, len(order), BATCH_EVENTS)))
        stories.append(story_from_chunks(docs, chunks, near, summaries, titles, merged_of, cache, with_events=False))
    return stories, moved


def _events_in_order(store, ids: list[str]) -> list[Event]:
    """These merged events (without merge steps), in the order of `ids`."""
    found = {ev.id: ev for ev in store.merged_events_by_id(ids, steps=False)}
    return [found[i] for i in ids]


def consolidate_store(store, full: bool = False) -> int:
    """Bring a store's merged events and stories up to date with its coded events (with `full`, merge every
    block and rebuild every story); the number of stories."""
    if full:
        store.mark_all_blocks()
        store.forget_summaries()
    cache = WordingCache(lookup_clauses=store.cached_clauses, lookup_vectors=store.cached_vectors)
    touched = merge_dirty_blocks(store, cache, full)
    return rebuild_stories(store, cache, touched)
