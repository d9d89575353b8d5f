"""DuckDB backend: one embedded file, no server."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import duckdb

from ..models import Document, Event
from .base import EventFilter, Store

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        content_hash VARCHAR PRIMARY KEY, id VARCHAR NOT NULL, title VARCHAR, source VARCHAR,
        original_source VARCHAR, url VARCHAR, feed_date VARCHAR, dateline_date VARCHAR,
        published VARCHAR, origin VARCHAR, text VARCHAR NOT NULL, ingested_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS events (
        id VARCHAR PRIMARY KEY, content_hash VARCHAR NOT NULL, event_type VARCHAR, quad VARCHAR,
        status VARCHAR, actor_country VARCHAR, recipient_country VARCHAR, date VARCHAR,
        search_text VARCHAR, data VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS mentions (
        event_id VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL,
        source VARCHAR, start_offset INTEGER, end_offset INTEGER)""",
]


def _where(f: EventFilter) -> tuple[str, list]:
    """Build a WHERE clause with positional parameters from a filter."""
    clauses, params = [], []
    for column, value in (("actor_country", f.actor), ("recipient_country", f.recipient),
                          ("event_type", f.event_type), ("quad", f.quad)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.since:
        clauses.append("date >= ?")
        params.append(f.since)
    if f.until:  # "2025-06" includes every day of June: "~" sorts after any date suffix
        clauses.append("date <= ?")
        params.append(f.until + "~")
    if f.source:
        clauses.append("id IN (SELECT event_id FROM mentions WHERE lower(source) = lower(?))")
        params.append(f.source)
    if f.text:
        clauses.append("strpos(search_text, lower(?)) > 0")
        params.append(f.text)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _search_text(ev: Event) -> str:
    parts = [m.sentence for m in ev.mentions] + [ev.actor.text, ev.actor.name or ""]
    if ev.recipient:
        parts += [ev.recipient.text, ev.recipient.name or ""]
    return "\n".join(parts).lower()


class DuckStore(Store):
    """Documents, events and mentions in a DuckDB file; each document is written in one transaction."""

    def __init__(self, path: str, read_only: bool = False):
        self.path = path
        self.con = duckdb.connect(path, read_only=read_only)
        if not read_only:
            for stmt in SCHEMA:
                self.con.execute(stmt)

    def has_document(self, content_hash: str) -> bool:
        row = self.con.execute("SELECT 1 FROM documents WHERE content_hash = ?", [content_hash]).fetchone()
        return row is not None

    def add(self, doc: Document, events: list[Event]) -> bool:
        key = doc.content_hash
        if self.has_document(key):
            return False
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, doc.id, doc.title, doc.source, doc.original_source, doc.url, doc.feed_date,
                 doc.dateline_date, doc.published, doc.origin, doc.text, datetime.now(timezone.utc)])
            for ev in events:
                self.con.execute(
                    "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [ev.id, key, ev.event_type, ev.quad, ev.status, ev.actor.country,
                     ev.recipient.country if ev.recipient else None, ev.date, _search_text(ev),
                     json.dumps(ev.to_dict(), ensure_ascii=False)])
                self.con.executemany(
                    "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)",
                    [[ev.id, m.doc_id, key, m.source, m.start, m.end] for m in ev.mentions])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return True

    def events(self, f: EventFilter) -> list[dict]:
        where, params = _where(f)
        rows = self.con.execute(
            f"SELECT data FROM events{where} ORDER BY date DESC NULLS LAST, id LIMIT ? OFFSET ?",
            params + [max(0, int(f.limit)), max(0, int(f.offset))]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count_events(self, f: EventFilter) -> int:
        where, params = _where(f)
        return self.con.execute(f"SELECT count(*) FROM events{where}", params).fetchone()[0]

    def event(self, event_id: str) -> dict | None:
        row = self.con.execute("SELECT data FROM events WHERE id = ?", [event_id]).fetchone()
        return json.loads(row[0]) if row else None

    def document(self, doc_id: str) -> dict | None:
        cur = self.con.execute(
            "SELECT id, title, source, original_source, url, feed_date, dateline_date, published, origin, text "
            "FROM documents WHERE id = ? ORDER BY ingested_at DESC LIMIT 1", [doc_id])
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def stats(self) -> dict:
        q = self.con.execute
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "events": q("SELECT count(*) FROM events").fetchone()[0],
            "by_type": dict(q("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall()),
            "pairs": [
                {"actor": a, "recipient": r, "events": n}
                for a, r, n in q(
                    "SELECT actor_country, recipient_country, count(*) FROM events "
                    "WHERE actor_country IS NOT NULL AND recipient_country IS NOT NULL "
                    "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20").fetchall()
            ],
        }

    def close(self) -> None:
        self.con.close()
