"""FastAPI application: a JSON API over the store and server-rendered pages (Jinja2, autoescaped)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..store import EventFilter, open_store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def create_app(db: str) -> FastAPI:
    """An app serving the store at `db`, read-only."""
    app = FastAPI(title="cablegram", description="PLOVER political events coded from news reports.")
    store = open_store(db, read_only=True)

    @app.get("/api/events")
    def api_events(actor: Optional[str] = None, recipient: Optional[str] = None,
                   type: Optional[str] = None, quad: Optional[str] = None,
                   since: Optional[str] = None, until: Optional[str] = None,
                   source: Optional[str] = None, text: Optional[str] = None,
                   limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0)):
        """Events matching the filters, newest first, with the total for pagination."""
        f = EventFilter(actor=actor, recipient=recipient, event_type=type, quad=quad, since=since,
                        until=until, source=source, text=text, limit=limit, offset=offset)
        return {"total": store.count_events(f), "limit": limit, "offset": offset, "events": store.events(f)}

    @app.get("/api/events/{event_id}")
    def api_event(event_id: str):
        """One event with all its mentions."""
        ev = store.event(event_id)
        if ev is None:
            raise HTTPException(404, "no such event")
        return ev

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request):
        """Counts, most active pairs and the latest events."""
        return TEMPLATES.TemplateResponse(request, "overview.html", {
            "stats": store.stats(), "events": store.events(EventFilter(limit=100))})

    app.state.store = store
    return app
