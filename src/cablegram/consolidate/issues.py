"""Issues inside a story: the recurring objects of its events, found from the text, each with a timeline.

Candidate phrases are the content phrases of the clause each event was coded from (phrases.py). Phrases
are clustered by MiniLM similarity; a cluster that recurs (two sentences, of two events or of two
documents) is an issue, named
by its most frequent phrase, and the events whose sentences hold it form its timeline. A cluster that
frames the whole story instead (the reports' headlines and leads state it, and acts of many kinds
mention it: "irritants" of a dialogue, "relations") is no issue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

import numpy as np

from ..models import Event
from .cache import WordingCache

# How each event type changes the state of what it is about.
STATE = {
    "CONSULT": "raised", "ACCUSE": "raised", "PROTEST": "raised", "THREATEN": "raised",
    "REQUEST": "demanded", "REJECT": "refused", "AGREE": "agreed", "SUPPORT": "agreed",
    "CONCEDE": "implemented", "RETREAT": "implemented", "COOPERATE": "implemented", "AID": "implemented",
    "SANCTION": "imposed", "COERCE": "imposed", "MOBILIZE": "imposed", "ASSAULT": "imposed",
}
PHRASE_SIMILARITY = 0.7  # phrases name the same object above this MiniLM cosine
MIN_SENTENCES = 2  # an object must recur: in two sentences, of two events or two documents
TOPIC_SHARE = 0.5  # a phrase in more than this share of a story's sentences is its topic, not an issue
FRAME_TYPES = 3  # a phrase in events of this many types, and in the lead of most reports, frames the story


def find_issues(events: list[Event], cache: WordingCache | None = None,
                leads: dict[str, str] | None = None) -> list[dict]:
    """Issues of a story's (merged) events: [{label, phrases, mentions, timeline: [{event_id, date, state,
    event_type, status, actor, recipient, sources, sentence}]}], most mentioned first. Phrases come from
    the clause of each mention's trigger, so an issue is what the event acts on, not its whole sentence.
    `leads` maps each of the story's documents to its headline and lead, to recognise framing phrases."""
    found = IssueFinder(cache, leads)
    for ev in events:
        found.see(ev)
    found.cluster()
    for ev in events:
        found.hold(ev)
    return found.issues()


class IssueFinder:
    """find_issues in two passes over a story's events, which may come a chunk at a time (a story larger than
    memory should hold): `see` each event, `cluster`, `hold` each event again in the same order, `issues`."""

    def __init__(self, cache: WordingCache | None = None, leads: dict[str, str] | None = None):
        self.cache, self.leads = cache or WordingCache(), leads or {}
        self.keys: dict[tuple, None] = {}  # every (sentence, trigger) of the events' mentions, in order
        self.recurring: dict[int, set[tuple]] = {}  # clusters that recur, not the topic: their keys
        self.counts: dict[int, Counter] = {}
        self.steps: dict[int, list[dict]] = defaultdict(list)
        self.types: dict[int, set[str]] = defaultdict(set)
        self.documents: dict[int, set[str]] = defaultdict(set)

    def see(self, ev: Event) -> None:
        """First pass: the event's mentions."""
        for m in ev.mentions:
            self.keys.setdefault((m.sentence, m.trigger))

    def cluster(self) -> None:
        """Between the passes: cluster the phrases, keep the clusters that recur and are not the topic."""
        keys = list(self.keys)
        found = {k: ps for k, (_text, ps) in self.cache.clauses_for(keys).items()} if keys else {}
        phrases = list(dict.fromkeys(p for ps in found.values() for p in ps))
        if not phrases:
            return
        group_of = _cluster(phrases, self.cache)
        keys_of: dict[int, set[tuple]] = defaultdict(set)
        counts: dict[int, Counter] = defaultdict(Counter)
        for k, ps in found.items():
            for p in ps:
                keys_of[group_of[p]].add(k)
                counts[group_of[p]][p] += 1
        n_sentences = len({s for s, _ in keys})
        for g, ks in keys_of.items():
            sentences = {s for s, _ in ks}
            if len(sentences) >= MIN_SENTENCES and not (n_sentences >= 4 and len(sentences) > TOPIC_SHARE * n_sentences):
                self.recurring[g], self.counts[g] = ks, counts[g]

    def hold(self, ev: Event) -> None:
        """Second pass: the event's step in the timeline of each recurring cluster its clauses hold."""
        for g, ks in self.recurring.items():
            inside = [m.doc_id for m in ev.mentions if (m.sentence, m.trigger) in ks]
            if inside:
                self.steps[g].append(_step(ev, ks))
                self.types[g].add(ev.event_type)
                self.documents[g].update(inside)

    def issues(self) -> list[dict]:
        """The issues, most mentioned first (after both passes)."""
        lead_heads = _lead_heads(self.leads, self.cache) if self.recurring else []
        issues = []
        for g, ks in self.recurring.items():
            timeline = self.steps[g]
            if len(timeline) < 2 and len(self.documents[g]) < 2:
                continue
            if _frames(set(self.counts[g]), self.types[g], lead_heads):
                continue
            timeline.sort(key=lambda st: (st["date"] is None, st["date"] or "", st["event_id"]))
            label = min(self.counts[g], key=lambda p: (-self.counts[g][p], len(p), p))
            issues.append({"label": label, "phrases": sorted(self.counts[g]), "mentions": len({s for s, _ in ks}),
                           "timeline": timeline})
        issues.sort(key=lambda i: (-i["mentions"], i["label"]))
        return issues


def _lead_heads(leads: dict[str, str], cache: WordingCache) -> list[set[str]]:
    """The head nouns of the content phrases of each document's headline and lead, read lower-cased
    (headlines capitalise every word, which hides their nouns from the parser)."""
    keys = lead_keys(leads)
    found = cache.clauses_for(keys) if keys else {}
    return [{p.split()[-1] for p in found[k][1]} for k in keys]


def lead_keys(leads: dict[str, str]) -> list[tuple[str, None]]:
    """The cache keys of the headlines and leads `_lead_heads` parses (a batch of stories parses them at once)."""
    return [(t.lower(), None) for t in leads.values() if t and t.strip()]


def _frames(phrases: set[str], types: set[str], lead_heads: list[set[str]]) -> bool:
    """Whether a phrase cluster frames the whole story rather than naming what some of its acts change:
    the headline or lead of most (at least two) of its reports states it, and events of FRAME_TYPES or
    more `types` mention it."""
    heads = {p.split()[-1] for p in phrases}
    in_leads = sum(1 for hs in lead_heads if hs & heads)
    return in_leads >= 2 and 2 * in_leads > len(lead_heads) and len(types) >= FRAME_TYPES


def _cluster(phrases: list[str], cache: WordingCache) -> dict[str, int]:
    """Average-linkage clusters of phrases at PHRASE_SIMILARITY (MiniLM cosine); a phrase that ends
    another ('property' in 'diplomatic property') counts as identical to it. The tree is SciPy's, cut as
    scikit-learn's AgglomerativeClustering cuts it (same clusters, without importing scikit-learn)."""
    n = len(phrases)
    if n == 1:
        return {phrases[0]: 0}
    from scipy.cluster.hierarchy import linkage

    vecs = cache.encode(phrases)
    sims = vecs @ vecs.T
    for i, j in _suffix_pairs(phrases):
        sims[i, j] = sims[j, i] = 1.0
    condensed = np.concatenate([np.clip(1 - sims[r, r + 1:], 0, 2) for r in range(n - 1)])  # upper triangle
    del sims
    tree = linkage(condensed, method="average")
    keep = n - 1 - np.count_nonzero(tree[:, 2] >= 1 - PHRASE_SIMILARITY)  # the merges closer than that
    root = np.arange(n + keep)
    for r in range(keep - 1, -1, -1):  # a merge's node outlives its children: label them from the top down
        root[int(tree[r, 0])] = root[int(tree[r, 1])] = root[n + r]
    return {p: int(root[i]) for i, p in enumerate(phrases)}


def _suffix_pairs(phrases: list[str]) -> Iterator[tuple[int, int]]:
    """(i, j) where phrase i's words end phrase j's (i = j included): each phrase's word suffixes looked up,
    linear in the phrases where comparing every two was quadratic."""
    at: dict[tuple[str, ...], list[int]] = defaultdict(list)
    words = [tuple(p.split()) for p in phrases]
    for i, w in enumerate(words):
        at[w].append(i)
    for j, w in enumerate(words):
        for suffix in {w[len(w) - k:] for k in range(1, len(w) + 1)} or {w}:
            for i in at.get(suffix, ()):
                yield i, j


def _step(ev: Event, keys: set[tuple]) -> dict:
    """One timeline entry: the event and the state it gives the issue."""
    return {
        "event_id": ev.id, "date": ev.date, "state": STATE.get(ev.event_type, "raised"),
        "event_type": ev.event_type, "status": ev.status,
        "actor": ev.actor.country, "recipient": ev.recipient.country if ev.recipient else None,
        "sources": sorted({m.source for m in ev.mentions if m.source}),
        "sentence": next(m.sentence for m in ev.mentions if (m.sentence, m.trigger) in keys),
    }
