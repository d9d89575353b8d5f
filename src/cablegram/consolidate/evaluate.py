"""Merge precision and recall, pairwise over mentions from different documents, against a gold file that
says which sentences report the same event (format: eval/merge/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Event


@dataclass
class MergeScore:
    """Pairwise counts: pairs of coded mentions from different documents, both found in the gold."""

    true_pairs: int  # merged and the same gold event
    merged_pairs: int  # merged by the system
    gold_pairs: int  # the same gold event (both mentions coded)
    gold_pairs_all: int  # the same gold event, whether coded or not
    mapped: int  # coded (document, gold event) items
    unmapped: int  # coded mentions the gold does not name (coding errors, not merge errors)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (gold event, doc, doc) kept apart
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # (gold, doc, gold, doc) merged

    @property
    def precision(self) -> float:
        return self.true_pairs / self.merged_pairs if self.merged_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_pairs / self.gold_pairs if self.gold_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_merge_gold(path: str | Path) -> list[dict]:
    """The gold events; raises ValueError naming the entry that lacks a field."""
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a JSON file: {exc}") from exc
    if not isinstance(gold, list):
        raise ValueError(f"{path}: expected a JSON list of gold events")
    for n, g in enumerate(gold):
        if not isinstance(g, dict) or not g.get("event") or not isinstance(g.get("mentions"), list) or \
                any(not isinstance(m, dict) or not m.get("doc_id") or not m.get("contains") for m in g["mentions"]):
            raise ValueError(f"{path}: gold entry {n} needs event and mentions with doc_id and contains")
    return gold


def _gold_event(doc_id: str, sentence: str, event_type: str, gold: list[dict]) -> str | None:
    hits = [g for g in gold if any(m["doc_id"] == doc_id and m["contains"] in sentence for m in g["mentions"])]
    if len(hits) > 1:
        hits = [g for g in hits if g.get("event_type") == event_type]
    return hits[0]["event"] if len(hits) == 1 else None


def score_merge(events: list[Event], gold: list[dict], strict: bool = False) -> MergeScore:
    """Score merged events pairwise. An item is a (document, gold event) the coder found, with the merged
    events holding it; two items from different documents count as merged when they share a merged
    event. With `strict`, each coded event is its own item, so a coder that reports one fact twice in a
    document (and merges only one copy) loses recall here too."""
    held: dict[tuple, set[str]] = {}
    unmapped = 0
    for ev in events:
        for m in ev.mentions:
            g = _gold_event(m.doc_id, m.sentence, ev.event_type, gold)
            if g is None:
                unmapped += 1
            else:
                held.setdefault((m.doc_id, g, ev.id if strict else ""), set()).add(ev.id)
    items = sorted(held)
    tp = merged = same = 0
    missed, wrong = [], []
    for x, (d1, g1, k1) in enumerate(items):
        for d2, g2, k2 in items[x + 1:]:
            if d1 == d2:
                continue
            joined = bool(held[(d1, g1, k1)] & held[(d2, g2, k2)])
            merged += joined
            same += g1 == g2
            tp += joined and g1 == g2
            if g1 == g2 and not joined:
                missed.append((g1, d1, d2))
            elif joined and g1 != g2:
                wrong.append((g1, d1, g2, d2))
    all_pairs = 0
    for g in gold:
        docs = sorted({m["doc_id"] for m in g["mentions"]})
        all_pairs += len(docs) * (len(docs) - 1) // 2
    return MergeScore(tp, merged, same, all_pairs, len(items), unmapped, missed, wrong)


def load_story_gold(path: str | Path) -> list[list[str]]:
    """Stories as lists of document ids; raises ValueError when the file is not such a list."""
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a JSON file: {exc}") from exc
    if not isinstance(gold, list) or not all(isinstance(s, list) and all(isinstance(d, str) for d in s) for s in gold):
        raise ValueError(f"{path}: expected a JSON list of lists of document ids")
    return gold


def score_stories(stories: list[list[str]], gold: list[list[str]]) -> tuple[float, float, int, int, int]:
    """Pairwise over documents both sides place: (precision, recall, pairs together, gold pairs, correct)."""
    def pairs(groups):
        return {(a, b) for g in groups for a in g for b in g if a < b}

    placed = {d for g in stories for d in g} & {d for g in gold for d in g}
    ours = {p for p in pairs(stories) if set(p) <= placed}
    theirs = {p for p in pairs(gold) if set(p) <= placed}
    hit = len(ours & theirs)
    return (hit / len(ours) if ours else 1.0, hit / len(theirs) if theirs else 1.0, len(ours), len(theirs), hit)
