"""Safe HTML pieces built in Python: highlighted sentences and JSON for pages, escaped piece by piece."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from markupsafe import Markup, escape

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """`text` with each (start, end) span wrapped in <mark>; every piece of text is escaped, never trusted.
    Spans outside the text or overlapping an earlier one are left unmarked."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos or end > len(text) or start >= end:
            continue
        out += [escape(text[pos:start]), Markup('<mark id="m{}">').format(start), escape(text[start:end]),
                Markup("</mark>")]
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def json_for_script(data: object) -> Markup:
    """JSON to place inside <script type="application/json">: '<', '>' and '&' are written as \\u escapes,
    so no string in the data can close the script element or open a comment."""
    return Markup(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))


def web_link(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address, else None: a javascript: URL from an article is never a link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def map_points(events: list[dict]) -> list[dict]:
    """Events with coordinates, grouped by place, for the map: [{lat, lon, place, events: [{id, type, quad, date,
    actor, recipient, outlets}]}]. The values are data for the page's script, which shows them as text only."""
    places: dict[tuple, dict] = {}
    for ev in events:
        loc = ev.get("location") or {}
        if loc.get("lat") is None or loc.get("lon") is None:
            continue
        spot = places.setdefault((round(loc["lat"], 3), round(loc["lon"], 3)), {
            "lat": loc["lat"], "lon": loc["lon"], "place": loc.get("name") or loc.get("text"), "events": []})
        spot["events"].append({
            "id": ev["id"], "type": ev["event_type"], "quad": ev.get("quad"), "date": ev.get("date"),
            "actor": (ev.get("actor") or {}).get("country"), "recipient": (ev.get("recipient") or {}).get("country"),
            "outlets": sorted({m.get("source") for m in ev.get("mentions", []) if m.get("source")})})
    return list(places.values())
