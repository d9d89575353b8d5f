"""Weekly event counts between two countries by quad class, with empty weeks filled in for charting."""

from __future__ import annotations

from datetime import date, timedelta

from .filters import QUADS


def weekly_series(days: list[dict]) -> list[dict]:
    """[{date, quad, events}] rows with ISO day dates to one entry per week (named by its Monday) from the
    first to the last, each with a count for every quad class: [{week, counts: {quad: n}}]."""
    counts: dict[date, dict[str, int]] = {}
    for row in days:
        try:
            day = date.fromisoformat(row["date"])
        except (TypeError, ValueError):
            continue
        if row["quad"] in QUADS:
            week = counts.setdefault(day - timedelta(days=day.weekday()), dict.fromkeys(QUADS, 0))
            week[row["quad"]] += row["events"]
    if not counts:
        return []
    series, week, last = [], min(counts), max(counts)
    while week <= last:
        series.append({"week": week.isoformat(), "counts": counts.get(week, dict.fromkeys(QUADS, 0))})
        week += timedelta(days=7)
    return series
