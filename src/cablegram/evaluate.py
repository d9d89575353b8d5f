"""Score coded events against a hand-annotated gold file: precision and recall per document and overall.

An event matches a gold line when the type, the actor's and the recipient's country codes agree (either order
for symmetric types) and, where the gold gives a day, the day agrees. Matching is one-to-one within a document.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .models import SYMMETRIC


@dataclass
class Score:
    """Matched, predicted and gold counts, with the unmatched items kept for error analysis."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: str | Path) -> list[dict]:
    """Gold events, one JSON object per line (format in eval/README.md)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def flat(event: dict) -> list[dict]:
    """The scored view of a coded event: one row per mentioning document, parties as country codes."""
    rec = event.get("recipient") or {}
    docs = dict.fromkeys(m["doc_id"] for m in event["mentions"])
    return [{"doc_id": d, "event_type": event["event_type"], "actor": event["actor"].get("country"),
             "recipient": rec.get("country"), "date": event.get("date"), "status": event.get("status"),
             "sentence": event["mentions"][0]["sentence"]} for d in docs]


def matches(pred: dict, gold: dict) -> bool:
    """Same type, same sides (either order when symmetric), and the same day where the gold gives one."""
    if pred["event_type"] != gold["event_type"]:
        return False
    sides = (pred["actor"], pred["recipient"]) == (gold["actor"], gold["recipient"])
    if not sides and gold["event_type"] in SYMMETRIC:
        sides = (pred["recipient"], pred["actor"]) == (gold["actor"], gold["recipient"])
    if not sides:
        return False
    day = gold.get("date")
    return not (day and len(day) == 10) or pred.get("date") == day


def score(predicted: list[dict], gold: list[dict]) -> dict[str, Score]:
    """Per-document scores and the total under the key '*'; only documents present in the gold are scored."""
    by_doc_gold: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        by_doc_gold[g["doc_id"]].append(g)
    by_doc_pred: dict[str, list[dict]] = defaultdict(list)
    for ev in predicted:
        for row in flat(ev):
            if row["doc_id"] in by_doc_gold:
                by_doc_pred[row["doc_id"]].append(row)
    out: dict[str, Score] = {}
    total = Score()
    for doc_id, golds in sorted(by_doc_gold.items()):
        s = Score(predicted=len(by_doc_pred[doc_id]), gold=len(golds))
        free = list(golds)
        for p in by_doc_pred[doc_id]:
            hit = next((g for g in free if matches(p, g)), None)
            if hit is None:
                s.spurious.append(p)
            else:
                free.remove(hit)
                s.matched += 1
        s.missed = free
        out[doc_id] = s
        total.matched += s.matched
        total.predicted += s.predicted
        total.gold += s.gold
        total.missed += s.missed
        total.spurious += s.spurious
    out["*"] = total
    return out
