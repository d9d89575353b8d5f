"""Merged events, stories and the consolidation cache, written once in SQL that DuckDB and PostgreSQL
both accept. A backend mixes `ConsolidationSql` in and supplies `_connect(write)`, `_transaction(con)`,
`_run(con, statement, params)` (statements use `?` parameters) and `_insert_rows(con, target, rows, tail)`."""

from __future__ import annotations

import base64
import json

import numpy as np

from ..consolidate.phrases import METHOD

# Tables, with {text} for the backend's text type; vectors are base64 text so one spelling fits both.
CONSOLIDATION_TABLES = (
    """CREATE TABLE IF NOT EXISTS merged_events (
        id {text} PRIMARY KEY, story_id {text}, event_type {text}, date {text},
        num_sources INTEGER, num_articles INTEGER, data {text} NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS merged_members (event_id {text} PRIMARY KEY, merged_id {text} NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS stories (
        id {text} PRIMARY KEY, title {text}, parties {text}, first_date {text}, last_date {text},
        num_events INTEGER, num_documents INTEGER, data {text} NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS clause_cache (
        method {text} NOT NULL, sentence {text} NOT NULL, trigger {text} NOT NULL, clause {text} NOT NULL,
        phrases {text} NOT NULL, PRIMARY KEY (method, sentence, trigger))""",
    """CREATE TABLE IF NOT EXISTS text_vectors (text {text} PRIMARY KEY, vector {text} NOT NULL)""",
)
# Schema step 4: merged events get the columns event filters use, so they can be listed like coded events;
# the merged events and stories of an older consolidation are dropped, so the next ingest rebuilds them.
MERGED_FILTER_COLUMNS = tuple(f"ALTER TABLE merged_events ADD COLUMN {c} {{text}}"
                              for c in ("quad", "status", "actor_country", "recipient_country", "search_text")) + (
    "DELETE FROM merged_events", "DELETE FROM merged_members", "DELETE FROM stories")
STORY_COLUMNS = ("id", "title", "parties", "first_date", "last_date", "num_events", "num_documents")
MERGED_COLUMNS = ("id", "story_id", "event_type", "date", "num_sources", "num_articles", "quad", "status",
                  "actor_country", "recipient_country", "search_text", "data")


# Schema step 11: a story's merged events are kept once, in merged_events, not copied into the story's data.
STORY_EVENTS_INDEX = ("CREATE INDEX IF NOT EXISTS merged_events_story ON merged_events (story_id)",)


def drop_story_events(store, con) -> None:
    """Schema step 11: remove the copy of its events from each stored story, one story at a time."""
    for (sid,) in store._run(con, "SELECT id FROM stories ORDER BY id").fetchall():
        st = json.loads(store._run(con, "SELECT data FROM stories WHERE id = ?", [sid]).fetchone()[0])
        st.pop("events", None)
        store._run(con, "UPDATE stories SET data = ? WHERE id = ?", [json.dumps(st, ensure_ascii=False), sid])


# Schema step 12: a story's disagreements are kept in pages of their own, so neither writing nor reading a story
# handles them as one value (the big story of the 20,000-document `pair` store has 224,930: 41 MB of JSON).
DISAGREEMENT_PAGES = ("CREATE TABLE IF NOT EXISTS story_disagreements (story_id {text} NOT NULL, n INTEGER NOT NULL, "
                      "data {text} NOT NULL, PRIMARY KEY (story_id, n))",)
PAGE = 1000  # disagreements a page


def page_disagreements(store, con) -> None:
    """Schema step 12: move each stored story's disagreements into pages, one story at a time."""
    for (sid,) in store._run(con, "SELECT id FROM stories ORDER BY id").fetchall():
        st = json.loads(store._run(con, "SELECT data FROM stories WHERE id = ?", [sid]).fetchone()[0])
        store._run(con, "UPDATE stories SET data = ? WHERE id = ?", [story_data(st), sid])
        write_pages(store, con, sid, st["comparison"]["disagreements"])


def story_data(st: dict) -> str:
    """A story's stored JSON: its disagreements are left out (an empty list holds their place), as pages keep them."""
    return json.dumps({**st, "comparison": {**st["comparison"], "disagreements": []}}, ensure_ascii=False)


def write_pages(store, con, sid: str, disagreements: list[dict]) -> None:
    """Write a story's disagreements in pages of PAGE, ten pages a statement."""
    for start in range(0, len(disagreements), 10 * PAGE):
        store._insert_rows(con, "story_disagreements (story_id, n, data)",
                           [[sid, n // PAGE, json.dumps(disagreements[n:n + PAGE], ensure_ascii=False)]
                            for n in range(start, min(start + 10 * PAGE, len(disagreements)), PAGE)])


def _vector_text(v) -> str:
    return base64.b64encode(np.asarray(v, dtype=np.float32).tobytes()).decode("ascii")


def _text_vector(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=np.float32)


class ConsolidationSql:
    """Store methods for consolidation (see store.base.Store for what each returns)."""

    def _has_consolidation(self, con) -> bool:
        """Whether the tables exist (a database written by an older cablegram, opened read-only, lacks them)."""
        row = self._run(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                        ["stories"]).fetchone()
        return bool(row[0])

    def coded_events(self) -> list[dict]:
        with self._connect(write=False) as con:
            return [json.loads(r[0]) for r in self._run(con, "SELECT data FROM events ORDER BY id").fetchall()]

    def document_meta(self) -> dict[str, dict]:
        with self._connect(write=False) as con:
            rows = self._run(con, "SELECT id, title, source, published FROM documents "
                                  "ORDER BY ingested_at, content_hash").fetchall()
        return {i: {"title": t, "source": s, "published": p} for i, t, s, p in rows}

    def wording_cache(self):
        from ..consolidate import WordingCache

        with self._connect(write=False) as con:
            if not self._has_consolidation(con):
                return WordingCache()
            clauses = {(s, t or None): (c, json.loads(p)) for s, t, c, p in self._run(
                con, "SELECT sentence, trigger, clause, phrases FROM clause_cache WHERE method = ?",
                [METHOD]).fetchall()}
            vectors = {t: _text_vector(v) for t, v in self._run(con, "SELECT text, vector FROM text_vectors").fetchall()}
        return WordingCache(clauses, vectors)

    def stories(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        page, params = (" LIMIT ? OFFSET ?", [max(0, int(limit)), max(0, int(offset))]) if limit is not None \
            else (" OFFSET ?", [max(0, int(offset))])
        with self._connect(write=False) as con:
            if not self._has_consolidation(con):
                return []
            rows = self._run(con, f"SELECT {', '.join(STORY_COLUMNS)} FROM stories "
                                  f"ORDER BY last_date DESC NULLS LAST, id{page}", params).fetchall()
        return [{**dict(zip(STORY_COLUMNS, r)), "parties": json.loads(r[2] or "[]")} for r in rows]

    def count_stories(self) -> int:
        with self._connect(write=False) as con:
            if not self._has_consolidation(con):
                return 0
            return self._run(con, "SELECT count(*) FROM stories").fetchone()[0]

    def story(self, story_id: str) -> dict | None:
        with self._connect(write=False) as con:
            if not self._has_consolidation(con):
                return None
            row = self._run(con, "SELECT data FROM stories WHERE id = ?", [story_id]).fetchone()
            if row is None:
                return None
            events = [json.loads(r[0]) for r in self._run(con, "SELECT data FROM merged_events WHERE story_id = ?",
                                                          [story_id]).fetchall()]
            pages = [json.loads(r[0]) for r in self._run(con, "SELECT data FROM story_disagreements WHERE story_id = ? "
                                                               "ORDER BY n", [story_id]).fetchall()]
        events.sort(key=lambda e: (e["date"] is None, e["date"] or "", e["id"]))
        st = json.loads(row[0])
        st["comparison"]["disagreements"] = [d for page in pages for d in page]
        head = list(st)[:list(st).index("documents") + 1]  # the events follow the documents, as built
        return {**{k: st[k] for k in head}, "events": events, **{k: v for k, v in st.items() if k not in head}}

    def why(self, event_id: str) -> dict | None:
        with self._connect(write=False) as con:
            if not self._has_consolidation(con):
                return None
            row = self._run(con, "SELECT id, data FROM merged_events WHERE id = ? OR id = "
                                 "(SELECT merged_id FROM merged_members WHERE event_id = ?)",
                            [event_id, event_id]).fetchone()
            if row is None:
                return None
            members = [r[0] for r in self._run(con, "SELECT event_id FROM merged_members WHERE merged_id = ? "
                                                    "ORDER BY event_id", [row[0]]).fetchall()]
        event = json.loads(row[1])
        return {"event": event, "members": members, "steps": event.get("merge", [])}
