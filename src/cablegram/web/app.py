"""FastAPI application: the JSON API and the dashboard pages over one store, with nothing loaded from the network."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import open_store
from ..store.cache import CachedStore
from . import api, pages
from .guards import CatchErrors, HeadAsGet, short_errors, validation_response
from .openapi_schema import components
from .response_cache import ResponseCache
from .upload import MAX_BODY_BYTES, Ingester

STATIC = Path(__file__).parent / "static"
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc", "/static-offline-docs")
OWN_HEADERS = {b"content-security-policy", b"x-content-type-options", b"referrer-policy", b"x-frame-options"}
DB_VARIABLE = "CABLEGRAM_DB"  # the store a worker process serves (cablegram serve --workers)


class SecurityHeaders:
    """ASGI middleware: pages may load scripts and styles only from this server; nothing is framed or sniffed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        page = not scope["path"].startswith(DOCS_PATHS)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in OWN_HEADERS]
                if page:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(db: str, token: str | None = None, max_body_bytes: int = MAX_BODY_BYTES):
    """An app serving the store at `db`. Writing (POST /api/documents) needs `token`, by default the
    CABLEGRAM_TOKEN environment variable; without one the store is opened read-only and writes are refused."""
    token = os.environ.get("CABLEGRAM_TOKEN") if token is None else token
    store = CachedStore(open_store(db, read_only=not token))

    @asynccontextmanager
    async def lifespan(_app):
        yield
        store.close()

    app = FastAPIOffline(title="cablegram", version="0.1.0", lifespan=lifespan,
                         description="PLOVER political events coded from news reports, each traced to its sentences.")
    app.state.store = store
    app.state.token = token or None
    app.state.max_body_bytes = max_body_bytes
    app.state.ingester = Ingester(store)
    app.include_router(api.router)
    document_openapi(app)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    app.add_middleware(CatchErrors)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ResponseCache, version=store.version)
    app.add_middleware(HeadAsGet)

    def is_page(request: Request) -> bool:
        return not request.url.path.startswith(("/api/", "/static", "/openapi")) and \
            request.method == "GET"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if not is_page(request):
            return await http_exception_handler(request, exc)
        return pages.render(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                            problems=[str(exc.detail)])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        if not is_page(request):
            return validation_response(exc)
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in short_errors(exc)]
        return pages.render(request, "error.html", status_code=422, status=422, problems=problems)

    return app


def document_openapi(app) -> None:
    """Add the event format's components to the generated OpenAPI document (the routes refer to them)."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(components())
        return app.openapi_schema

    app.openapi = openapi


def app_from_environment():
    """The app for one worker process of `cablegram serve --workers N`: the store named by CABLEGRAM_DB."""
    return create_app(os.environ[DB_VARIABLE])
