"""ASGI middleware that keeps every answer well-formed: HEAD served wherever GET is, an unexpected failure
answered as a plain 500 inside the security headers, and validation errors that never echo a long input."""

from __future__ import annotations

import logging

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

ECHO_CHARS = 100  # at most this much of a rejected value is repeated in a 422 body
log = logging.getLogger("cablegram.web")


class HeadAsGet:
    """Answer HEAD as the same GET would be answered, headers only (Starlette routes HEAD only for GET routes
    it was told about; FastAPI's API routes answer it 405)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class CatchErrors:
    """Turn an exception no handler took into a plain 500, logged with its traceback, inside the other
    middleware (so it carries the security headers like any answer)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unhandled error answering %s %s", scope["method"], scope["path"])
            if started:
                raise
            body = b'{"detail":"internal server error"}'
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def short_errors(exc: RequestValidationError) -> list[dict]:
    """The validation errors with each rejected input cut to ECHO_CHARS characters (a 100 KB query value or
    body is not sent back) and without the internal context objects."""
    out = []
    for error in exc.errors():
        error = {k: v for k, v in error.items() if k not in ("ctx", "url")}
        if "input" in error:
            value = error["input"]
            text = value if isinstance(value, str) else repr(value)
            error["input"] = text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + f"... ({len(text):,} characters)"
        out.append(error)
    return out


def validation_response(exc: RequestValidationError) -> JSONResponse:
    """The API's 422 answer: {detail: [errors]} with short inputs."""
    return JSONResponse({"detail": jsonable_encoder(short_errors(exc))}, status_code=422)
