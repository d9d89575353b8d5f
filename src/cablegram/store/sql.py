"""The SQL both backends share: queries, the one-transaction document write, and schema migration.

A backend supplies connections (`_connect`), its transaction bracket (`_transaction`) and its
spelling of the text type and of query parameters; every value is bound as a parameter.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any

from ..models import Document, Event
from .base import EventFilter, Store, StoreError
from .feeds_sql import FeedStateSql
from .fulltext import query_terms
from .migrations import LATEST, MIGRATIONS, VERSION_TABLE, reached
from ..consolidate.blocks import report_keys
from .blocks_sql import BlocksSql
from .stories_sql import ConsolidationSql

DOCUMENT_COLUMNS = ("content_hash", "id", "title", "source", "original_source", "url", "feed_date",
                    "dateline_date", "published", "origin", "text", "ingested_at")
DOCUMENT_FIELDS = ("id", "title", "source", "original_source", "url", "feed_date", "dateline_date",
                   "published", "origin", "text")


def _table(f: EventFilter) -> str:
    return "merged_events" if f.merged else "events"


def search_text(ev: Event) -> str:
    """Sentences and party words of an event, lower-cased, for the `text` filter."""
    parts = [m.sentence for m in ev.mentions] + [ev.actor.text, ev.actor.name or ""]
    if ev.recipient:
        parts += [ev.recipient.text, ev.recipient.name or ""]
    return "\n".join(parts).lower()


class SqlStore(BlocksSql, ConsolidationSql, FeedStateSql, Store):
    """Store operations written once in SQL that DuckDB and PostgreSQL both accept."""

    TEXT_TYPE = "VARCHAR"

    @abstractmethod
    def _connect(self, write: bool) -> AbstractContextManager[Any]:
        """A connection for one operation; `write` asks for one that may change the database."""

    @abstractmethod
    def _transaction(self, con: Any) -> AbstractContextManager[None]:
        """Commit on success, roll back on any error."""

    def _sql(self, statement: str) -> str:
        """A statement written with `?` parameters, in this backend's parameter style."""
        return statement

    def _run(self, con: Any, statement: str, params: list | tuple = ()):
        return con.execute(self._sql(statement), list(params))

    # ------------------------------------------------------------ filters and full-text search

    def _where(self, f: EventFilter) -> tuple[str, list]:
        """A WHERE clause with `?` parameters from a filter, for the events table or (f.merged) merged_events."""
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
        if f.pair:
            clauses.append("((actor_country = ? AND recipient_country = ?) "
                           "OR (actor_country = ? AND recipient_country = ?))")
            params += [f.pair[0], f.pair[1], f.pair[1], f.pair[0]]
        if f.source:
            mentioned = "SELECT event_id FROM mentions WHERE lower(source) = lower(?)"
            clauses.append(f"id IN (SELECT merged_id FROM merged_members WHERE event_id IN ({mentioned}))"
                           if f.merged else f"id IN ({mentioned})")
            params.append(f.source)
        if f.text:
            terms = query_terms(f.text)
            if not terms:  # nothing searchable (stop words, punctuation): nothing matches, as in PostgreSQL
                clauses.append("1 = 0")
            else:
                clause, text_params = self._text_match(terms, _table(f))
                clauses.append(clause)
                params += text_params
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _order(self, f: EventFilter) -> tuple[str, list]:
        """ORDER BY for a listing: best match first when searching words, then newest first."""
        newest = "date DESC NULLS LAST, id"
        terms = query_terms(f.text) if f.text else []
        if not terms:
            return " ORDER BY " + newest, []
        rank, params = self._text_rank(terms, _table(f))
        return f" ORDER BY {rank} DESC, {newest}", params

    @abstractmethod
    def _text_match(self, terms: list[tuple[str, bool]], table: str) -> tuple[str, list]:
        """A clause (with its parameters) true for the rows of `table` holding every query term
        (stem, whether it matches as a prefix)."""

    @abstractmethod
    def _text_rank(self, terms: list[tuple[str, bool]], table: str) -> tuple[str, list]:
        """An expression (with its parameters) that is larger the better a row of `table` matches the terms."""

    @abstractmethod
    def _build_search_index(self, con: Any) -> None:
        """Create the full-text index over events and merged events (schema step 5) and fill it."""

    def _index_terms(self, con: Any, kind: str, rows: list[tuple[str, str]], replace: bool = False) -> None:
        """Keep the search index up to date for (event id, search text) rows of `kind` ('coded' or 'merged');
        `replace` drops that kind's earlier rows first. A backend whose index follows the table needs nothing."""

    # ------------------------------------------------------------ schema

    def _lock_schema(self, con: Any) -> None:
        """Keep other processes from migrating at the same time (a no-op where writers are exclusive)."""

    def _schema_version(self, con: Any) -> int | None:
        """The newest applied step, or None when the version table does not exist yet."""
        try:
            return reached({r[0] for r in self._run(con, "SELECT version FROM schema_version").fetchall()})
        except Exception:
            return None

    def migrate(self) -> int:
        """Apply every step newer than the database, each in its own transaction; the version reached."""
        with self._connect(write=True) as con:
            with self._transaction(con):
                self._lock_schema(con)
                self._run(con, VERSION_TABLE.format(text=self.TEXT_TYPE))
                current = self._run(con, "SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
            if current > LATEST:
                raise StoreError(f"the database has schema version {current}, newer than this cablegram "
                                 f"knows ({LATEST}); upgrade cablegram")
            for step in MIGRATIONS:
                with self._transaction(con):
                    self._lock_schema(con)
                    done = self._run(con, "SELECT 1 FROM schema_version WHERE version = ?",
                                     [step.version]).fetchone()
                    if done:
                        continue
                    for statement in step.statements:
                        self._run(con, statement.format(text=self.TEXT_TYPE))
                    if step.build:
                        step.build(self, con)
                    self._run(con, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                              [step.version, step.name, datetime.now(timezone.utc).replace(tzinfo=None)])
            return LATEST

    def check_schema(self) -> None:
        """Refuse to read a database this version cannot read: no schema, a newer one, or one missing any step
        this version has (steps are numbered apart, so one can be missing below the newest applied)."""
        with self._connect(write=False) as con:
            version = self._schema_version(con)
            applied = {row[0] for row in self._run(con, "SELECT version FROM schema_version").fetchall()} \
                if version is not None else set()
        complete = 0  # the newest step with every step up to it applied
        for step in MIGRATIONS:
            if step.version not in applied:
                break
            complete = step.version
        if (version or 0) > LATEST:
            raise StoreError(f"the database has schema version {version}, newer than this cablegram knows "
                             f"({LATEST}); upgrade cablegram")
        if complete < LATEST:
            raise StoreError(f"the database has schema version {complete}, this cablegram needs {LATEST}: "
                             "run 'cablegram ingest' on it once to upgrade")

    def schema_version(self) -> int:
        with self._connect(write=False) as con:
            return self._schema_version(con) or 0

    # ------------------------------------------------------------ writes

    def has_document(self, content_hash: str) -> bool:
        with self._connect(write=False) as con:
            return self._run(con, "SELECT 1 FROM documents WHERE content_hash = ?",
                             [content_hash]).fetchone() is not None

    def add(self, doc: Document, events: list[Event]) -> bool:
        return self.add_many([(doc, events)])[0]

    def add_many(self, items: list[tuple[Document, list[Event]]]) -> list[bool]:
        """Store each document with its events in its own transaction, over one connection."""
        if not items:
            return []
        with self._connect(write=True) as con:
            return [self._add(con, doc, events) for doc, events in items]

    def _add(self, con: Any, doc: Document, events: list[Event]) -> bool:
        key = doc.content_hash
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._transaction(con):
            inserted = self._run(
                con, f"INSERT INTO documents ({', '.join(DOCUMENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))}) "
                "ON CONFLICT (content_hash) DO NOTHING RETURNING content_hash",
                [key, doc.id, doc.title, doc.source, doc.original_source, doc.url, doc.feed_date,
                 doc.dateline_date, doc.published, doc.origin, doc.text, now]).fetchall()
            if not inserted:
                return False
            unique = list({ev.id: ev for ev in reversed(events)}.values())  # the first event of an id wins
            blocks = report_keys(unique)
            event_rows = [[ev.id, key, ev.event_type, ev.quad, ev.status, ev.actor.country,
                           ev.recipient.country if ev.recipient else None, ev.date, search_text(ev),
                           json.dumps(ev.to_dict(), ensure_ascii=False), block] for ev, block in zip(unique, blocks)]
            mention_rows = [[ev.id, m.doc_id, key, m.source, m.start, m.end] for ev in events for m in ev.mentions]
            self._insert_rows(con, "events (id, content_hash, event_type, quad, status, actor_country, "
                              "recipient_country, date, search_text, data, block)", event_rows,
                              "ON CONFLICT (id) DO NOTHING")
            self._insert_rows(con, "dirty_blocks (block)", [[b] for b in sorted(set(blocks))], "ON CONFLICT DO NOTHING")
            self._run(con, "DELETE FROM document_summaries WHERE doc_id = ?", [doc.id])  # another report of its id
            self._insert_rows(con, "mentions (event_id, doc_id, content_hash, source, start_offset, end_offset)",
                              mention_rows)
            self._index_terms(con, "coded", [(row[0], row[8]) for row in event_rows])
            self._run(con, "INSERT INTO consolidation_pending (id, generation) VALUES (1, 1) ON CONFLICT (id) "
                           "DO UPDATE SET generation = consolidation_pending.generation + 1")
        return True

    def pending_consolidation(self) -> int | None:
        with self._connect(write=False) as con:
            row = self._run(con, "SELECT generation FROM consolidation_pending WHERE id = 1").fetchone()
        return row[0] if row else None

    def clear_pending(self, done: int) -> None:
        with self._connect(write=True) as con:
            self._run(con, "DELETE FROM consolidation_pending WHERE id = 1 AND generation = ?", [done])

    def _insert_rows(self, con: Any, target: str, rows: list[list], tail: str = "") -> None:
        """Insert rows in one multi-row statement (one round trip, one plan), in chunks of 200."""
        for start in range(0, len(rows), 200):
            chunk = rows[start:start + 200]
            values = ", ".join("(" + ", ".join("?" * len(row)) + ")" for row in chunk)
            self._run(con, f"INSERT INTO {target} VALUES {values} {tail}", [v for row in chunk for v in row])

    # ------------------------------------------------------------ reads

    def events(self, f: EventFilter) -> list[dict]:
        where, params = self._where(f)
        order, order_params = self._order(f)
        with self._connect(write=False) as con:
            rows = self._run(con, f"SELECT data FROM {_table(f)}{where}{order} LIMIT ? OFFSET ?",
                             params + order_params + [max(0, int(f.limit)), max(0, int(f.offset))]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count_events(self, f: EventFilter) -> int:
        where, params = self._where(f)
        with self._connect(write=False) as con:
            return self._run(con, f"SELECT count(*) FROM {_table(f)}{where}", params).fetchone()[0]

    def event(self, event_id: str) -> dict | None:
        with self._connect(write=False) as con:
            row = self._run(con, "SELECT data FROM events WHERE id = ?", [event_id]).fetchone()
        return json.loads(row[0]) if row else None

    def document(self, doc_id: str) -> dict | None:
        with self._connect(write=False) as con:
            row = self._run(con, f"SELECT {', '.join(DOCUMENT_FIELDS)} FROM documents WHERE id = ? "
                            "ORDER BY ingested_at DESC, content_hash LIMIT 1", [doc_id]).fetchone()
        return dict(zip(DOCUMENT_FIELDS, row)) if row else None

    def stats(self) -> dict:
        with self._connect(write=False) as con:
            def q(statement: str) -> list[tuple]:
                return self._run(con, statement).fetchall()

            return {
                "documents": q("SELECT count(*) FROM documents")[0][0],
                "events": q("SELECT count(*) FROM events")[0][0],
                "by_type": dict(q("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1")),
                "pairs": [
                    {"actor": a, "recipient": r, "events": n}
                    for a, r, n in q(
                        "SELECT actor_country, recipient_country, count(*) FROM events "
                        "WHERE actor_country IS NOT NULL AND recipient_country IS NOT NULL "
                        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20")
                ],
            }

    def dyads(self, limit: int = 20) -> list[dict]:
        with self._connect(write=False) as con:
            rows = self._run(
                con, "SELECT least(actor_country, recipient_country), greatest(actor_country, recipient_country), "
                "count(*), count(*) FILTER (WHERE quad LIKE '%cooperation'), "
                "count(*) FILTER (WHERE quad LIKE '%conflict') "
                "FROM events WHERE actor_country IS NOT NULL AND recipient_country IS NOT NULL "
                "AND actor_country <> recipient_country GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
                [max(0, int(limit))]).fetchall()
        return [{"a": a, "b": b, "events": n, "cooperation": c, "conflict": k} for a, b, n, c, k in rows]

    def dyad_days(self, a: str, b: str) -> list[dict]:
        with self._connect(write=False) as con:
            rows = self._run(
                con, "SELECT date, quad, count(*) FROM events WHERE ((actor_country = ? AND recipient_country = ?) "
                "OR (actor_country = ? AND recipient_country = ?)) AND length(date) = 10 "
                "GROUP BY 1, 2 ORDER BY 1, 2", [a, b, b, a]).fetchall()
        return [{"date": d, "quad": q, "events": n} for d, q, n in rows]

    def dyad_coarse_events(self, a: str, b: str, limit: int) -> list[dict]:
        with self._connect(write=False) as con:
            rows = self._run(
                con, "SELECT e.id, e.event_type, e.quad, e.date, min(m.doc_id), min(d.title) FROM events e "
                "JOIN mentions m ON m.event_id = e.id JOIN documents d ON d.content_hash = m.content_hash "
                "WHERE ((e.actor_country = ? AND e.recipient_country = ?) OR (e.actor_country = ? "
                "AND e.recipient_country = ?)) AND (e.date IS NULL OR length(e.date) < 10) "
                "GROUP BY e.id, e.event_type, e.quad, e.date "
                "ORDER BY min(d.published) IS NULL, min(d.published), min(m.doc_id), min(m.start_offset), e.id "
                "LIMIT ?", [a, b, b, a, max(0, int(limit))]).fetchall()
        keys = ("id", "event_type", "quad", "date", "doc_id", "title")
        return [dict(zip(keys, row)) for row in rows]

    def weekly_counts(self, merged: bool = True) -> list[dict]:
        with self._connect(write=False) as con:
            rows = self._run(con, f"SELECT date, quad, count(*) FROM {'merged_events' if merged else 'events'} "
                                  "WHERE length(date) = 10 GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        return [{"date": d, "quad": q, "events": n} for d, q, n in rows]

    def snapshot(self) -> dict:
        """Every stored key, sorted: document hashes and ids, event ids, mention rows (for comparing stores)."""
        with self._connect(write=False) as con:
            def q(statement: str) -> list[tuple]:
                return [tuple(r) for r in self._run(con, statement).fetchall()]

            return {
                "documents": q("SELECT content_hash, id FROM documents ORDER BY 1"),
                "events": q("SELECT id, content_hash, data FROM events ORDER BY 1"),
                "mentions": q("SELECT event_id, doc_id, content_hash, start_offset, end_offset FROM mentions "
                              "ORDER BY 1, 2, 3, 4, 5"),
            }
