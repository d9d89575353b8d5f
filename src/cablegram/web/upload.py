"""POST /api/documents: authenticate, read a size-limited JSON body, code the documents and store them."""

from __future__ import annotations

import hmac
import json
import threading

from fastapi import HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from ..documents import document_from_record
from ..models import Document, Skipped

MAX_BODY_BYTES = 8 * 1024 * 1024  # a 2 MiB report with its JSON escapes fits


class PostedDocument(BaseModel):
    """One report in the JSONL input shape; the API documents it, `document_from_record` checks it."""

    id: str | None = Field(None, description="Document id; unique per text (the same id and text is stored once).")
    text: str = Field(description="The report's full text, stored unmodified.")
    title: str | None = None
    date: str | None = Field(None, description="Publication date, e.g. 2025-03-04.")
    source: str | None = Field(None, description="The outlet, e.g. 'North Ledger'.")
    url: str | None = None
    original_source: str | None = Field(None, description="Where the outlet says the report came from.")


_DOC = PostedDocument.model_json_schema()
REQUEST_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"anyOf": [
    _DOC, {"type": "object", "required": ["documents"], "properties": {"documents": {"type": "array", "items": _DOC}}},
]}}}}}


def check_token(credentials: HTTPAuthorizationCredentials | None, token: str | None) -> None:
    """Refuse the request unless the server has a token and the request carries it as a Bearer token."""
    if not token:
        raise HTTPException(403, "writing is disabled: start the server with CABLEGRAM_TOKEN set")
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, token.encode()):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


async def read_json(request: Request, limit: int) -> object:
    """The request body parsed as JSON, refusing bodies over `limit` bytes before reading them whole."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"body larger than {limit} bytes")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"body is not JSON: {str(exc)[:200]}") from None
    except RecursionError:
        raise HTTPException(400, "body is not usable JSON: nested too deeply") from None


def parse_records(payload: object) -> tuple[list[Document], list[Skipped]]:
    """One record or {"documents": [records]}, each in the JSONL input shape (id, title, date, source, url,
    text), to Documents; records that cannot be read are returned as Skipped with the reason."""
    records = payload.get("documents") if isinstance(payload, dict) and "documents" in payload else [payload]
    if not isinstance(records, list) or not records:
        raise HTTPException(422, "expected a document object or {\"documents\": [...]} with at least one")
    docs, skipped, seen = [], [], set()
    for n, record in enumerate(records):
        item = document_from_record(record, f"documents[{n}]", f"posted-{n}")
        if isinstance(item, Document) and item.id in seen:
            item = Skipped(item.origin or item.id, f"duplicate id {item.id} in this request")
        (skipped if isinstance(item, Skipped) else docs).append(item)
        if isinstance(item, Document):
            seen.add(item.id)
    return docs, skipped


class Ingester:
    """Codes posted documents and stores them; the coder (spaCy and the classifier) loads on first use."""

    def __init__(self, store):
        self.store = store
        self._coder = None
        self._lock = threading.Lock()

    def ingest(self, docs: list[Document]) -> tuple[list[dict], list[dict], list[dict]]:
        """(stored, unchanged, failed): documents coded and stored now, already stored ones, and failures.
        Stories and merged events are recomputed after storing, so new reports join them at once; a request
        also finishes what an earlier one that was stopped between storing and merging left stale."""
        from ..coding.coder import Coder

        stored, unchanged, failed = [], [], []
        with self._lock:
            known = {d.content_hash for d in docs if self.store.has_document(d.content_hash)}
            new = [d for d in docs if d.content_hash not in known]
            unchanged = [{"id": d.id} for d in docs if d.content_hash in known]
            if not new:
                self.store.finish_pending()
                return stored, unchanged, failed
            if self._coder is None:
                self._coder = Coder()

            def on_error(doc: Document, exc: Exception) -> None:
                failed.append({"origin": doc.id, "reason": f"coding failed: {type(exc).__name__}: {exc}"})

            for doc, events in self._coder.code_stream(new, on_error=on_error):
                if self.store.add(doc, events):
                    stored.append({"id": doc.id, "events": [e.id for e in events]})
                else:
                    unchanged.append({"id": doc.id})
            self.store.finish_pending()  # what this request stored, and any a stopped run left unmerged
        return stored, unchanged, failed
