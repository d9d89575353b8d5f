"""Server-rendered pages: overview, dyad timeline, event with its sentences in context, stories, search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path as FilePath
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..gazetteer import code_name
from ..models import EVENT_TYPES, QUAD
from ..store import EventFilter
from . import pair_chart
from .api import dyad_timeline, page
from .filters import CODE, MAX_LIMIT, MAX_OFFSET, QUADS, event_filter
from .render import highlight, json_for_script, map_points, web_link
from .timeline import weekly_series

TEMPLATES = Jinja2Templates(directory=str(FilePath(__file__).parent / "templates"))
TEMPLATES.env.globals.update(quad_of=QUAD.get, web_link=web_link, code_name=code_name)
MAP_EVENTS = 500  # events placed on a page's map at most

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def render(request: Request, name: str, status_code: int = 200, **context):
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


@router.get("/")
def overview(request: Request):
    """Counts (as coded, and merged across reports), a weekly chart of merged events by quad class linking to
    each week's events, a map, the most active pairs, the followed feeds' freshness and the latest events."""
    store = request.app.state.store
    stats = store.stats()
    by_quad = dict.fromkeys(QUADS, 0)
    for event_type, n in stats["by_type"].items():
        if QUAD.get(event_type):
            by_quad[QUAD[event_type]] += n
    merged = store.count_events(EventFilter(merged=True))
    latest = EventFilter(limit=20, merged=bool(merged))
    weeks = [{**w, "until": (date.fromisoformat(w["week"]) + timedelta(days=6)).isoformat()}
             for w in weekly_series(store.weekly_counts(merged=bool(merged)))]
    chart = {"quads": list(QUADS), "weeks": weeks, "merged": bool(merged)}
    points = map_points(store.events(replace(latest, limit=MAP_EVENTS)))
    return render(request, "overview.html", stats=stats, by_quad=by_quad, merged_total=merged,
                  dyads=store.dyads(15), stories=store.stories(10), events=store.events(latest), latest=latest,
                  chart=chart, chart_json=json_for_script(chart), has_chart=bool(weeks),
                  map_json=json_for_script(points), feeds=store.feeds())


@router.get("/dyads/{a}/{b}")
def dyad(request: Request, a: str = Path(pattern=CODE), b: str = Path(pattern=CODE),
         f: EventFilter = Depends(event_filter)):
    """Cooperation against conflict between two countries: every event charted (by day, month or year on a
    time axis, or in an undated lane), a map, and their events under it, filtered by type, quad class, dates
    and outlet."""
    a, b = a.upper(), b.upper()
    store = request.app.state.store
    f = replace(f, pair=(a, b))
    timeline = dyad_timeline(store, a, b)
    results = page(store, f)
    links = paging(request, f, results["total"])
    return render(request, "dyad.html", a=a, b=b, timeline=timeline, chart=pair_chart.layout(timeline), f=f,
                  results=results, events=results["events"], types=EVENT_TYPES, quads=QUADS,
                  map_json=json_for_script(map_points(store.events(replace(f, limit=MAP_EVENTS, offset=0)))),
                  query=download_query(request), **links)


def paging(request: Request, f: EventFilter, total: int) -> dict:
    """Links to the newer and older page of a listing, keeping its filters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}

    def link(offset: int) -> str:
        return request.url.path + "?" + urlencode({**params, "offset": offset})

    return {"prev_link": link(max(0, f.offset - f.limit)) if f.offset > 0 else None,
            "next_link": link(f.offset + f.limit) if f.offset + f.limit < total else None}


def download_query(request: Request) -> str:
    """The listing's filters as a query string for its download links (paging left out: a download is whole)."""
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "limit") and v}
    return "?" + urlencode(params) if params else ""


@router.get("/events/{event_id}")
def event(request: Request, event_id: str = Path(max_length=100)):
    """One event as merged across reports: its coding, then every document that reports it with the
    sentences highlighted, and why the reports were joined."""
    store = request.app.state.store
    merged = store.why(event_id)
    ev = merged["event"] if merged else store.event(event_id)
    if ev is None:
        raise HTTPException(404, "no such event")
    docs: dict[str, dict] = {}
    for m in ev["mentions"]:
        entry = docs.setdefault(m["doc_id"], {"doc": store.document(m["doc_id"]), "mentions": []})
        entry["mentions"].append(m)
    for entry in docs.values():
        text = entry["doc"]["text"] if entry["doc"] else ""
        spans = [(m["start"], m["end"]) for m in entry["mentions"] if text[m["start"]:m["end"]] == m["sentence"]]
        entry["found"] = len(spans)
        entry["highlighted"] = highlight(text, spans)
    outlets = {m: outlets_of(store.event(m)) for m in (merged["members"] if merged else [])}
    return render(request, "event.html", ev=ev, docs=list(docs.values()), merged=merged, outlets=outlets)


def outlets_of(ev: dict | None) -> str:
    """The outlets that report a coded event, for naming the accounts a merge joined."""
    return ", ".join(sorted({m["source"] or "unknown outlet" for m in ev["mentions"]})) if ev else ""


@router.get("/stories")
def stories(request: Request, limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Stories, latest first, a page at a time with links to the newer and older pages."""
    store = request.app.state.store
    total = store.count_stories()

    def link(start: int) -> str:
        return "/stories?" + urlencode({"limit": limit, "offset": start})

    return render(request, "stories.html", stories=store.stories(limit, offset), total=total, offset=offset,
                  prev_link=link(max(0, offset - limit)) if offset > 0 else None,
                  next_link=link(offset + limit) if offset + limit < total else None)


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str = Path(max_length=100)):
    """A story's dossier: its weekly timeline, a map, events, issues and how the outlets' accounts compare."""
    st = request.app.state.store.story(story_id)
    if st is None:
        raise HTTPException(404, "no such story")
    days = [{"date": e["date"], "quad": e["quad"], "events": 1}
            for e in st["events"] if e["date"] and len(e["date"]) == 10]
    timeline = {"quads": list(QUADS), "weeks": weekly_series(days)}
    events = sorted(st["events"], key=lambda e: (e["date"] is None, e["date"] or ""))
    return render(request, "story.html", st=st, events=events, timeline=timeline,
                  timeline_json=json_for_script(timeline), map_json=json_for_script(map_points(events)))


@router.get("/search")
def search(request: Request, f: EventFilter = Depends(event_filter)):
    """Events by any of the API's filters, best match first when searching words, with paging links and
    downloads that keep the filters, and a map of the events found."""
    store = request.app.state.store
    results = page(store, f)
    return render(request, "search.html", f=f, results=results, types=EVENT_TYPES, quads=QUADS,
                  map_json=json_for_script(map_points(store.events(replace(f, limit=MAP_EVENTS, offset=0)))),
                  query=download_query(request), **paging(request, f, results["total"]))
