"""Weekly event counts between two countries by quad class, with empty weeks filled in for charting."""

from __future__ import annotations

from datetime import date, timedelta

from .filters import QUADS


def weekly_series(rows: list[dict]) -> list[dict]:
    """[{week, quad, events}] rows (weeks as Monday dates) to one entry per week from the first to the
    last, each with a count for every quad class: [{week, counts: {quad: n}}]."""
    if not rows:
        return []
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["quad"] in QUADS:
            counts.setdefault(r["week"], dict.fromkeys(QUADS, 0))[r["quad"]] += r["events"]
    if not counts:
        return []
    week, last = date.fromisoformat(min(counts)), date.fromisoformat(max(counts))
    series = []
    while week <= last:
        key = week.isoformat()
        series.append({"week": key, "counts": counts.get(key, dict.fromkeys(QUADS, 0))})
        week += timedelta(days=7)
    return series
