"""Cross-source consolidation: merge the events several reports tell, group reports into stories, find
the issues inside each story and compare what the outlets say. Runs after coding, on coded events only."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Event
from .blocked import merge_blocked
from .cache import WordingCache
from .merge import MergeResult, merge_events
from .stories import build_stories


@dataclass
class Consolidation:
    """Merged events (story ids set), which coded events each was built from, and the stories."""

    events: list[Event]
    members: dict[str, list[str]]
    stories: list[dict]


def merge(events: list[Event], cache: WordingCache | None = None) -> MergeResult:
    """Merge `events` (coded per document) across documents, block by block, as the store and Spark do."""
    return merge_blocked(events, cache)[0]


def consolidate(events: list[Event], documents: dict[str, dict] | None = None,
                cache: WordingCache | None = None) -> Consolidation:
    """Merge `events` (coded per document) across documents, block by block, and build stories. `documents`
    maps a document id to {title, source, published}; what it lacks is taken from the mentions. `cache` keeps
    parses and vectors (new ones are added to it)."""
    docs = {d: dict(meta) for d, meta in (documents or {}).items()}
    for ev in events:
        for m in ev.mentions:
            meta = docs.setdefault(m.doc_id, {})
            meta.setdefault("source", m.source)
            meta.setdefault("published", m.published)
    cache = cache if cache is not None else WordingCache()
    merged, raw, vectors = merge_blocked(events, cache)
    stories = build_stories(raw, vectors, merged, docs, cache)
    return Consolidation(merged.events, merged.members, stories)


__all__ = ["Consolidation", "WordingCache", "consolidate", "merge", "merge_blocked", "merge_events"]
