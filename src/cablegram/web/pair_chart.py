"""Where the pair page's chart draws each event (the template writes the SVG): weekly bars for day-dated events
and a span for each month- or year-dated one on one time axis, and a lane of undated events in report order,
placed apart from the axis, since no date is invented for them."""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil

WIDTH, LEFT, RIGHT, TOP = 960, 118, 30, 10  # the SVG's width; margins around the plotted area
DAY_HEIGHT = 150  # the weekly-bar lane: cooperation above its zero line, conflict below
SPAN_PITCH, SPAN_HEIGHT, SPAN_LANE_MAX = 11, 8, 220  # a month or year span's row, its bar, the lane's tallest
AXIS_HEIGHT, LANE_GAP = 30, 14
MARK, MARK_PITCH, REPORT_GAP = 10, 13, 10  # an undated event's square, its spacing, the gap between reports
UNDATED_MIN_HEIGHT = 40  # room for the lane's label
MAX_TICKS = 12


def layout(tl: dict) -> dict:
    """Shapes for a dyad timeline (api.dyad_timeline): {width, height, left, right (the plotted area's edges),
    lanes, bars, spans, ticks, axis_y, marks, separators}, coordinates in SVG units."""
    out = {"width": WIDTH, "left": LEFT, "right": WIDTH - RIGHT, "lanes": [], "bars": [], "spans": [], "ticks": [],
           "marks": [], "separators": []}
    y = TOP
    domain = time_domain(tl["weeks"], tl["periods"])
    if domain:
        start, end = domain

        def x(day: date) -> float:
            return round(LEFT + (day - start).days / (end - start).days * (WIDTH - LEFT - RIGHT), 1)

        if tl["weeks"]:
            out["bars"], peak = day_bars(tl["weeks"], tl["quads"], x, y)
            out["lanes"].append({"kind": "day", "y": y, "height": DAY_HEIGHT, "peak": peak,
                                 "zero": y + DAY_HEIGHT / 2})
            y += DAY_HEIGHT + LANE_GAP
        if tl["periods"]:
            out["spans"], height = period_spans(tl["periods"], x, y)
            out["lanes"].append({"kind": "period", "y": y, "height": height})
            y += height + 4
        out["axis_y"], out["ticks"] = y, axis_ticks(start, end, x)
        y += AXIS_HEIGHT + LANE_GAP
    if tl["undated"]:
        out["marks"], out["separators"], height = undated_marks(tl["undated"], y)
        out["lanes"].append({"kind": "undated", "y": y, "height": height})
        y += height + LANE_GAP
    out["height"] = y
    return out


def time_domain(weeks: list[dict], periods: list[dict]) -> tuple[date, date] | None:
    """The first and the day after the last day that any week or period covers."""
    spans = [(date.fromisoformat(w["week"]), date.fromisoformat(w["week"]) + timedelta(days=7)) for w in weeks]
    spans += [(date.fromisoformat(p["start"]), date.fromisoformat(p["end"])) for p in periods]
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None


def day_bars(weeks: list[dict], quads: list[str], x, top: float) -> tuple[list[dict], int]:
    """One bar per week and quad class, cooperation stacked up from the lane's middle and conflict down; and the
    largest weekly total either way, which reaches the lane's edge."""
    def side(w: dict, word: str) -> int:
        return sum(n for q, n in w["counts"].items() if word in q)

    peak = max(max(side(w, "cooperation"), side(w, "conflict")) for w in weeks) or 1
    unit, zero = (DAY_HEIGHT / 2 - 4) / peak, top + DAY_HEIGHT / 2
    bars = []
    for w in weeks:
        monday = date.fromisoformat(w["week"])
        left, right = x(monday), x(monday + timedelta(days=7))
        up = down = zero
        for quad in quads:
            n = w["counts"][quad]
            if not n:
                continue
            height = n * unit
            if "conflict" in quad:
                y, down = down, down + height
            else:
                up -= height
                y = up
            bars.append({"x": left, "y": round(y, 1), "w": max(1.5, round(right - left - 1, 1)),
                         "h": round(height, 1), "quad": quad, "events": n, "week": w["week"],
                         "until": (monday + timedelta(days=6)).isoformat()})
    return bars, peak


def period_spans(periods: list[dict], x, top: float) -> tuple[list[dict], float]:
    """One bar per month- or year-dated event across its period, packed into rows so that none overlaps
    another; and the lane's height (rows are drawn closer together when there are many)."""
    row_ends: list[float] = []
    placed = []
    for p in sorted(periods, key=lambda p: (p["start"], p["end"])):
        left, right = x(date.fromisoformat(p["start"])), x(date.fromisoformat(p["end"]))
        row = next((i for i, end in enumerate(row_ends) if end + 2 <= left), len(row_ends))
        row_ends[row:row + 1] = [right]
        placed.append((row, left, right, p))
    pitch = min(SPAN_PITCH, max(3.0, SPAN_LANE_MAX / len(row_ends)))
    height = min(SPAN_HEIGHT, pitch - 1)
    spans = [{**p, "x": left, "w": max(1.5, round(right - left, 1)), "y": round(top + row * pitch, 1), "h": height}
             for row, left, right, p in placed]
    return spans, round(len(row_ends) * pitch, 1)


def axis_ticks(start: date, end: date, x) -> list[dict]:
    """Month starts as ticks (year starts over longer spans), at most MAX_TICKS of them; the ends when the
    axis holds no month start."""
    firsts, day = [], (start if start.day == 1 else (start + timedelta(days=31)).replace(day=1))
    while day <= end:
        firsts.append(day)
        day = (day + timedelta(days=31)).replace(day=1)
    if len(firsts) > 18:
        firsts, fmt = [d for d in firsts if d.month == 1], "%Y"
    else:
        fmt = "%Y-%m"
    if not firsts:
        return [{"x": x(start), "label": start.isoformat()}, {"x": x(end), "label": end.isoformat()}]
    return [{"x": x(d), "label": d.strftime(fmt)} for d in firsts[::ceil(len(firsts) / MAX_TICKS)]]


def undated_marks(undated: list[dict], top: float) -> tuple[list[dict], list[dict], float]:
    """A square per undated event left to right in the order given (report by report, a gap and a rule
    between reports), wrapping onto new rows; and the lane's height."""
    marks, separators = [], []
    cx, cy, doc = LEFT, top, None
    for ev in undated:
        if doc is not None and ev["doc_id"] != doc:
            cx += REPORT_GAP
            if cx + MARK <= WIDTH - RIGHT:
                separators.append({"x": cx - (REPORT_GAP + MARK_PITCH - MARK) / 2, "y": cy - 2})
        if cx + MARK > WIDTH - RIGHT:
            cx, cy = LEFT, cy + MARK_PITCH
        marks.append({**ev, "x": cx, "y": cy})
        cx, doc = cx + MARK_PITCH, ev["doc_id"]
    return marks, separators, max(UNDATED_MIN_HEIGHT, cy - top + MARK_PITCH)
