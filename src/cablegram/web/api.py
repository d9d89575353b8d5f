"""The JSON API: events with filters and pagination, one event, a dyad's weekly timeline, stories, followed
feeds, posting documents."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from ..output import write_events
from ..store import EventFilter
from .filters import CODE, MAX_LIMIT, MAX_OFFSET, QUADS, event_filter
from .openapi_schema import json_response, ref
from .timeline import coarse_lanes, weekly_series
from .upload import REQUEST_BODY, check_token, parse_records, read_json

router = APIRouter(prefix="/api", tags=["api"])
bearer = HTTPBearer(auto_error=False, description="The server's CABLEGRAM_TOKEN")
DOWNLOAD_LIMIT = 100_000  # events in one download at most
COARSE_LIMIT = 2_000  # a pair's events drawn one by one (month- or year-dated, or undated) at most
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
DOWNLOAD_RESPONSE = {200: {"description": "The events as CSV (one flat row each) or JSONL (one event per line)",
                           "content": {"text/csv": {"schema": {"type": "string"}},
                                       "application/x-ndjson": {"schema": ref("Event")}}}}
Format = Literal["csv", "jsonl"]


def page(store, f: EventFilter) -> dict:
    """A page of events with the total and the paging values, for the API and the search page alike."""
    return {"total": store.count_events(f), "limit": f.limit, "offset": f.offset, "events": store.events(f)}


def dyad_timeline(store, a: str, b: str) -> dict:
    """Every event between a and b (as coded) placed for charting: day-dated ones per week by quad class,
    month- or year-dated ones as spans of their period, undated ones in report order, with the counts of each
    and of events not drawn (past COARSE_LIMIT, or with no quad class)."""
    weeks = weekly_series(store.dyad_days(a, b))
    periods, undated = coarse_lanes(store.dyad_coarse_events(a, b, COARSE_LIMIT))
    lanes = {"day": sum(sum(w["counts"].values()) for w in weeks), "period": len(periods), "undated": len(undated)}
    total = store.count_events(EventFilter(pair=(a, b)))
    return {"a": a, "b": b, "quads": list(QUADS), "weeks": weeks, "periods": periods, "undated": undated,
            "events": total, "lanes": lanes, "not_drawn": total - sum(lanes.values())}


def download(events: list[dict], fmt: str, name: str) -> Response:
    """Events as a CSV or JSONL attachment named `name`.`fmt`."""
    out = io.StringIO()
    write_events(events, fmt, out)
    return Response(out.getvalue(), media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/events.{fmt}", summary="Download the events a listing shows (CSV or JSONL)",
            responses=DOWNLOAD_RESPONSE, response_class=Response)
def api_events_download(request: Request, fmt: Format, f: EventFilter = Depends(event_filter)):
    """Every event matching the filters (as on /search and GET /api/events; `limit` and `offset` are ignored,
    up to 100,000 events), in the listing's order."""
    return download(request.app.state.store.events(replace(f, limit=DOWNLOAD_LIMIT, offset=0)), fmt, "events")


@router.get("/dyads/{a}/{b}/events.{fmt}", summary="Download the events between two countries (CSV or JSONL)",
            responses=DOWNLOAD_RESPONSE, response_class=Response)
def api_dyad_download(request: Request, fmt: Format, a: str = Path(pattern=CODE), b: str = Path(pattern=CODE),
                      f: EventFilter = Depends(event_filter)):
    """The pair page's events, either direction, with its filters (type, quad class, dates, outlet)."""
    a, b = a.upper(), b.upper()
    events = request.app.state.store.events(replace(f, pair=(a, b), limit=DOWNLOAD_LIMIT, offset=0))
    return download(events, fmt, f"events-{a}-{b}")


@router.get("/stories/{story_id}/events.{fmt}", summary="Download a story's events (CSV or JSONL)",
            responses=DOWNLOAD_RESPONSE, response_class=Response)
def api_story_download(request: Request, fmt: Format, story_id: str = Path(max_length=100)):
    """A story's events merged across reports, in date order (undated last)."""
    story = request.app.state.store.story(story_id)
    if story is None:
        raise HTTPException(404, "no such story")
    events = sorted(story["events"], key=lambda e: (e["date"] is None, e["date"] or ""))
    return download(events, fmt, f"story-{story_id}")


@router.get("/events", summary="Events, filtered and paginated (newest first)", responses=json_response("EventPage"))
def api_events(request: Request, f: EventFilter = Depends(event_filter)):
    """Events matching every given filter, newest first; `total` counts all matches for paging. One row
    per real-world event, merged across the reports that tell it (`num_sources`, `num_articles`, `merge`);
    `per_report=true` lists the events as coded in each report."""
    return JSONResponse(page(request.app.state.store, f))  # already JSON types: no need for FastAPI's encoder


@router.get("/events/{event_id}", summary="One event with all its mentions", responses=json_response("MergedEvent"))
def api_event(request: Request, event_id: str = Path(max_length=100),
              per_report: bool = Query(False, description="The event as coded in its report, not merged.")):
    """One event in the documented schema, each mention pointing at its sentence in a stored document: the
    event merged across reports (for a coded event's id, the merged event holding it), or with
    `per_report=true` the event as coded in its report."""
    store = request.app.state.store
    merged = None if per_report else store.why(event_id)
    ev = merged["event"] if merged else store.event(event_id)
    if ev is None:
        raise HTTPException(404, "no such event")
    return JSONResponse(ev)


@router.get("/dyads/{a}/{b}/timeline", summary="Events between two countries placed in time for charting")
def api_dyad_timeline(request: Request, a: str = Path(pattern=CODE, description="Country or IGO code"),
                      b: str = Path(pattern=CODE, description="Country or IGO code")):
    """Events between the two countries, both directions, as coded: `weeks` counts the day-dated ones per week
    (weeks start on Monday; empty weeks included) and quad class; `periods` lists those dated only to a month
    or year, each with `precision` and the `start` and (exclusive) `end` of its period; `undated` lists the
    rest in report order. `lanes` counts each kind; `not_drawn` counts events in none of them."""
    return dyad_timeline(request.app.state.store, a.upper(), b.upper())


@router.get("/stories", summary="Stories, latest first")
def api_stories(request: Request, limit: int = Query(50, ge=1, le=MAX_LIMIT),
                offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Stories (related events across reports, grouped by parties and topic) latest first, paged:
    {total, limit, offset, stories: [{id, title, parties, first_date, last_date, num_events, num_documents}]}."""
    store = request.app.state.store
    return {"total": store.count_stories(), "limit": limit, "offset": offset, "stories": store.stories(limit, offset)}


@router.get("/stories/{story_id}", summary="One story: events, issues and the outlets compared")
def api_story(request: Request, story_id: str = Path(max_length=100, description="A story id from GET /api/stories")):
    """A story's documents, its events merged across reports (each with `merge`: the steps that joined it),
    its issues with their state over time, and how the outlets compare (shared, only one, disagreements, hedged)."""
    story = request.app.state.store.story(story_id)
    if story is None:
        raise HTTPException(404, "no such story")
    return story


@router.get("/feeds", summary="Followed feeds and pages with their freshness")
def api_feeds(request: Request):
    """Every feed or page `cablegram watch` follows into this store: {feeds: [{url, kind (feed or page), name,
    title, last_poll, last_status, last_new_at, last_new_title, last_error, last_error_at, documents, pending}]};
    times are UTC, `pending` counts items whose pages are not stored yet."""
    return {"feeds": request.app.state.store.feeds()}


@router.post("/documents", status_code=201, summary="Code and store new documents (needs the bearer token)",
             openapi_extra=REQUEST_BODY)
async def api_post_documents(request: Request, response: Response,
                             credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):
    """Body: one document {id, title, date, source, url, text} or {"documents": [...]}. Requires
    `Authorization: Bearer <CABLEGRAM_TOKEN>`; refused when the server has no token. Documents already
    stored (same id and text) are reported as unchanged; unreadable records are listed with the reason; a bad
    field read past (an invalid date) is listed under `warnings`, a date inferred for a report under `notices`."""
    state = request.app.state
    check_token(credentials, state.token)
    docs, skipped = parse_records(await read_json(request, state.max_body_bytes))
    stored, unchanged, failed = await run_in_threadpool(state.ingester.ingest, docs) if docs else ([], [], [])
    failed = [{"origin": s.origin, "reason": s.reason} for s in skipped] + failed
    if not stored and not unchanged:
        raise HTTPException(422, {"skipped": failed})
    if not stored:
        response.status_code = 200
    read_past = [{"origin": d.origin or d.id, "reason": w} for d in docs for w in d.warnings]
    inferred = [{"origin": d.origin or d.id, "note": d.date_note} for d in docs if d.date_note]
    return {"stored": stored, "unchanged": unchanged, "skipped": failed, "warnings": read_past, "notices": inferred}
