"""A pair's or a story's events for charting: weekly counts by quad class (empty weeks filled in) for events
dated to the day, spans for events dated only to a month or year, and undated events kept apart."""

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


def period(value: str | None) -> tuple[str, date, date] | None:
    """A 'YYYY-MM' or 'YYYY' date as (precision, its first day, the day after its last); None otherwise."""
    try:
        if value and len(value) == 7:
            start = date.fromisoformat(value + "-01")
            return "month", start, (start + timedelta(days=31)).replace(day=1)
        if value and len(value) == 4 and value.isdigit():
            return "year", date(int(value), 1, 1), date(int(value) + 1, 1, 1)
    except ValueError:
        pass
    return None


def coarse_lanes(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Events without a day date split into those dated to a month or year, each with its precision and the
    span it covers (ISO, end exclusive), and the undated ones, kept in the order given."""
    periods, undated = [], []
    for row in rows:
        found = period(row["date"])
        if found:
            precision, start, end = found
            periods.append({**row, "precision": precision, "start": start.isoformat(), "end": end.isoformat()})
        else:
            undated.append(row)
    return periods, undated
