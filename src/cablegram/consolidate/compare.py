"""Source comparison for a story: what every outlet reports, what only one does, where they disagree,
and what is hedged."""

from __future__ import annotations

import re
from collections import defaultdict

from ..models import Event
from .merge import NearMiss

NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
COUNTED = re.compile(r"\b(\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r")\s+(?:[a-z-]+\s+){0,2}?([a-z]{3,}s)\b", re.I)


def _outlet(m) -> str:
    return m.source or f"document {m.doc_id}"


def _brief(ev: Event) -> dict:
    return {"event_id": ev.id, "event_type": ev.event_type, "date": ev.date, "actor": ev.actor.country,
            "recipient": ev.recipient.country if ev.recipient else None, "sentence": ev.mentions[0].sentence}


def _counts(sentence: str) -> dict[str, str]:
    """Counted things in a sentence: plural noun -> number as written ("six properties" -> properties: 6)."""
    out = {}
    for num, noun in COUNTED.findall(sentence):
        value = NUMBER_WORDS.get(num.lower(), num.replace(",", ""))
        out[noun.lower()] = str(value)
    return out


def compare_sources(events: list[Event], near_misses: list[NearMiss], merged_of: dict[str, str]) -> dict:
    """`merged_of` maps a coded event id to the id of the merged event holding it. Returns {outlets, shared: [event], only: {outlet: [event]}, disagreements: [{kind, detail, events}],
    hedged: [{event, hedged_by, stated_by}]} for the (merged) events of one story."""
    found = Comparison()
    for ev in events:
        found.see(ev)
    for ev in events:
        found.hold(ev)
    return found.result(near_misses, merged_of)


class Comparison:
    """compare_sources in two passes over a story's events, which may come a chunk at a time: `see` each
    event (the story's outlets), `hold` each again in the same order, then `result`."""

    def __init__(self):
        self.outlets: set[str] = set()
        self.ids: set[str] = set()
        self.shared: list[dict] = []
        self.only: dict[str, list[dict]] = defaultdict(list)
        self.disagreements: list[dict] = []
        self.hedged: list[dict] = []

    def see(self, ev: Event) -> None:
        """First pass: the event's outlets and id."""
        self.outlets.update(_outlet(m) for m in ev.mentions)
        self.ids.add(ev.id)

    def hold(self, ev: Event) -> None:
        """Second pass: whether every outlet or only one tells the event, the counts its outlets disagree on,
        and who hedges it."""
        by = {_outlet(m) for m in ev.mentions}
        if len(self.outlets) > 1 and by == self.outlets:
            self.shared.append(_brief(ev))
        elif len(by) == 1:
            self.only[next(iter(by))].append(_brief(ev))
        seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for m in ev.mentions:
            for noun, value in _counts(m.sentence).items():
                seen[noun][value].add(_outlet(m))
        for noun, values in sorted(seen.items()):
            if len(values) > 1:
                self.disagreements.append({"kind": "number", "event_ids": [ev.id],
                                           "detail": "; ".join(f"{v} {noun} ({', '.join(sorted(o))})"
                                                               for v, o in sorted(values.items()))})
        flags = {_outlet(m): m.hedged for m in ev.mentions}
        if any(flags.values()):
            self.hedged.append({**_brief(ev), "hedged_by": sorted(o for o, h in flags.items() if h),
                                "stated_by": sorted(o for o, h in flags.items() if not h)})

    def result(self, near_misses: list[NearMiss], merged_of: dict[str, str]) -> dict:
        """The comparison, with the near misses between the story's events as disagreements."""
        disagreements = list(self.disagreements)
        for nm in near_misses:
            pair = [merged_of.get(nm.a.id), merged_of.get(nm.b.id)]
            if not all(p in self.ids for p in pair):
                continue
            a_out = sorted({_outlet(m) for m in nm.a.mentions})
            b_out = sorted({_outlet(m) for m in nm.b.mentions})
            if a_out == b_out:
                continue
            if nm.reason == "date":
                detail = f"{nm.a.date} ({', '.join(a_out)}) vs {nm.b.date} ({', '.join(b_out)})"
            elif nm.reason == "parties":
                detail = (f"{nm.a.actor.country}->{nm.a.recipient.country if nm.a.recipient else None} "
                          f"({', '.join(a_out)}) vs {nm.b.actor.country}->"
                          f"{nm.b.recipient.country if nm.b.recipient else None} ({', '.join(b_out)})")
            else:
                detail = (f"{nm.a.location.name if nm.a.location else None} ({', '.join(a_out)}) vs "
                          f"{nm.b.location.name if nm.b.location else None} ({', '.join(b_out)})")
            disagreements.append({"kind": {"parties": "who", "place": "place"}.get(nm.reason, nm.reason),
                                  "detail": detail, "similarity": round(nm.similarity, 3),
                                  "event_ids": pair})
        return {"outlets": sorted(self.outlets), "shared": self.shared, "only": dict(sorted(self.only.items())),
                "disagreements": disagreements, "hedged": self.hedged}
