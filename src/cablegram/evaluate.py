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
    """Gold events, one JSON object per line (format in eval/README.md); IGO codes as cablegram writes them
    (the gold may say EU and UN for PLOVER's EUR and UNO)."""
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [{**g, "actor": _code(g.get("actor")), "recipient": _code(g.get("recipient"))} for g in rows]


SAME_CODE = {"EU": "EUR", "UN": "UNO"}  # the gold's everyday IGO codes and the PLOVER codes cablegram writes


def _code(code: str | None) -> str | None:
    return SAME_CODE.get(code, code) if code else code


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


def _one_to_one(preds: list[dict], golds: list[dict], same) -> int:
    free, hits = list(golds), 0
    for p in preds:
        hit = next((g for g in free if same(p, g)), None)
        if hit is not None:
            free.remove(hit)
            hits += 1
    return hits


def _sides(p: dict, g: dict) -> bool:
    return {p["actor"], p["recipient"]} == {g["actor"], g["recipient"]}


def miss_cause(gold: dict, spurious: list[dict]) -> str:
    """Why a gold event was missed, judged from the document's unmatched coded events, each used for one miss
    at most (it is removed from `spurious`): 'date' (right type and sides), 'type' (right sides), 'parties'
    (right type, a side wrong, missing or reversed), else 'detection' (nothing coded for it)."""
    near = [p for p in spurious if p["doc_id"] == gold["doc_id"]]
    tests = (("date", lambda p: p["event_type"] == gold["event_type"] and _sides(p, gold)),
             ("type", lambda p: _sides(p, gold)),
             ("parties", lambda p: p["event_type"] == gold["event_type"] and
              gold["actor"] in (p["actor"], p["recipient"])))
    for cause, test in tests:
        hit = next((p for p in near if test(p)), None)
        if hit is not None:
            spurious.remove(hit)
            return cause
    return "detection"


def breakdown(predicted: list[dict], gold: list[dict]) -> dict:
    """Relaxed figures beside the full match: type-only (type, one-to-one per document), parties-only (both
    countries, either order), per-type precision and recall, miss causes, and place accuracy where the gold
    names the place's country."""
    scores = score(predicted, gold)
    docs = {g["doc_id"] for g in gold}
    rows = [r for ev in predicted for r in flat(ev) if r["doc_id"] in docs]
    by_doc = lambda items, d: [x for x in items if x["doc_id"] == d]  # noqa: E731
    n_pred, n_gold = len(rows), len(gold)
    out: dict = {"full": (scores["*"].precision, scores["*"].recall)}
    for name, same in (("type", lambda p, g: p["event_type"] == g["event_type"]), ("parties", _sides)):
        hits = sum(_one_to_one(by_doc(rows, d), by_doc(gold, d), same) for d in docs)
        out[name] = (hits / n_pred if n_pred else 0.0, hits / n_gold if n_gold else 0.0)
    per_type = {}
    for t in sorted({g["event_type"] for g in gold} | {r["event_type"] for r in rows}):
        s = score([ev for ev in predicted if ev["event_type"] == t], [g for g in gold if g["event_type"] == t])["*"]
        per_type[t] = (s.gold, s.predicted, s.matched)
    out["per_type"] = per_type
    total = scores["*"]
    causes: dict[str, int] = {}
    unused = list(total.spurious)
    for g in total.missed:
        c = miss_cause(g, unused)
        causes[c] = causes.get(c, 0) + 1
    out["miss_causes"] = causes
    placed = [g for g in gold if g.get("place_country")]
    if placed:
        found = matched = 0
        for ev in predicted:
            loc = (ev.get("location") or {}).get("country")
            for r in flat(ev):
                hit = next((g for g in placed if g["doc_id"] == r["doc_id"] and matches(r, g)), None)
                if hit is not None:
                    matched += 1
                    found += loc == hit["place_country"]
        out["place"] = (found, matched)
    return out
