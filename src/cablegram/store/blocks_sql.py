"""Schema step 8 and the store side of block-by-block consolidation: each coded event's block, the blocks new
documents touched, each block's merged events, near misses and wording vectors, and each story's documents.
A backend mixes `BlocksSql` in beside `ConsolidationSql` (same helpers)."""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..consolidate.blocks import report_keys
from ..consolidate.phrases import METHOD
from ..models import Event
from .stories_sql import MERGED_COLUMNS, STORY_COLUMNS, _text_vector, _vector_text, story_data, write_pages

BLOCK_TABLES = (
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS block {text}",
    "ALTER TABLE merged_events ADD COLUMN IF NOT EXISTS block {text}",
    "CREATE TABLE IF NOT EXISTS dirty_blocks (block {text} PRIMARY KEY)",
    """CREATE TABLE IF NOT EXISTS near_misses (block {text} NOT NULL, a_id {text} NOT NULL, b_id {text} NOT NULL,
        reason {text} NOT NULL, similarity {text} NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS event_vectors (event_id {text} PRIMARY KEY, block {text} NOT NULL, "
    "vector {text} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS story_documents (story_id {text} NOT NULL, doc_id {text} NOT NULL)",
    # what an all-at-once consolidation wrote is rebuilt, block by block, by the next one
    "DELETE FROM merged_events", "DELETE FROM merged_members", "DELETE FROM stories",
)
# step 9: the results of blocks keyed without kind are rebuilt under the new keys by the next consolidation
REKEY_BLOCKS = tuple(f"DELETE FROM {table}" for table in (
    "merged_events", "merged_members", "near_misses", "event_vectors", "dirty_blocks", "stories", "story_documents"))
# step 10: each document's summary (what grouping stories reads), written once its events are merged
SUMMARY_TABLES = ("CREATE TABLE IF NOT EXISTS document_summaries (doc_id {text} PRIMARY KEY, published {text}, "
                  "dyads {text} NOT NULL, vector {text} NOT NULL, lead_start INTEGER NOT NULL, lead {text} NOT NULL)",)
BLOCK_INDEXES = ("CREATE INDEX IF NOT EXISTS events_block ON events (block)",
                 "CREATE INDEX IF NOT EXISTS merged_events_block ON merged_events (block)",
                 "CREATE INDEX IF NOT EXISTS near_misses_block ON near_misses (block)",
                 "CREATE INDEX IF NOT EXISTS event_vectors_block ON event_vectors (block)",
                 "CREATE INDEX IF NOT EXISTS story_documents_story ON story_documents (story_id)")
ROWS = 500  # rows fetched at a time when streaming


def build_blocks(store, con: Any) -> None:
    """Schema steps 8 and 9: give every stored event its block and mark every block for the next consolidation."""
    _mark_all(store, con, "")
    store._index_terms(con, "merged", [], replace=True)
    for statement in BLOCK_INDEXES:
        store._run(con, statement)


def _mark_all(store, con: Any, where: str) -> None:
    """Give the events `where` selects (SQL after WHERE; all when empty) their block, and mark every block
    for merging again."""
    rows = store._run(con, f"SELECT content_hash, data FROM events {'WHERE ' + where if where else ''} "
                           "ORDER BY content_hash, id").fetchall()
    by_doc: dict[str, list[Event]] = {}
    for key, data in rows:
        by_doc.setdefault(key, []).append(Event.from_dict(json.loads(data)))
    keyed = [(ev.id, block) for evs in by_doc.values() for ev, block in zip(evs, report_keys(evs))]
    for chunk in _chunks(keyed):
        store._run(con, f"UPDATE events SET block = v.block FROM (VALUES {', '.join('(?, ?)' for _ in chunk)}) "
                        "AS v(id, block) WHERE events.id = v.id", [x for row in chunk for x in row])
    store._run(con, "INSERT INTO dirty_blocks (block) SELECT DISTINCT block FROM events ON CONFLICT DO NOTHING")


def _chunks(values: list, size: int = 200) -> Iterator[list]:
    """`values` in slices of `size`, one statement's worth of parameters."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _marks(values: list) -> str:
    """One `?` per value, comma-separated, for an IN list."""
    return ", ".join("?" * len(values))


class BlocksSql:
    """Store methods for block-by-block consolidation (consolidate/incremental.py is their one caller)."""

    IN_CHUNK = 200  # values in one IN list (one statement's worth of parameters)

    def _list(self, values: list) -> tuple[str, list]:
        """What goes inside `IN (...)` for these values, and its parameters: one `?` per value."""
        return _marks(values), list(values)

    def _stream(self, statement: str, params: list | tuple = ()) -> Iterator[tuple]:
        """Rows of a query, fetched ROWS at a time."""
        with self._connect(write=False) as con:
            cursor = self._run(con, statement, params)
            while rows := cursor.fetchmany(ROWS):
                yield from rows

    def _in(self, statement: str, values: list, extra: list | None = None) -> list[tuple]:
        """Rows of `statement` (`{marks}` stands for a list of parameters) for all `values`, 200 at a time."""
        out = []
        with self._connect(write=False) as con:
            for chunk in _chunks(values, self.IN_CHUNK):
                marks, params = self._list(chunk)
                out += self._run(con, statement.format(marks=marks), params + (extra or [])).fetchall()
        return out

    def _delete_in(self, con: Any, table: str, column: str, values: list) -> None:
        """Delete the rows of `table` whose `column` is one of `values`."""
        for chunk in _chunks(values, self.IN_CHUNK):
            marks, params = self._list(chunk)
            self._run(con, f"DELETE FROM {table} WHERE {column} IN ({marks})", params)

    def _drop_terms(self, con: Any, kind: str, ids: list[str]) -> None:
        """Remove search index rows of these event ids (a backend whose index follows the table needs nothing)."""

    def mark_all_blocks(self) -> None:
        """Mark every block for merging again (events stored without a block get one first)."""
        with self._connect(write=True) as con:
            with self._transaction(con):
                _mark_all(self, con, "block IS NULL")

    def dirty_blocks(self) -> list[str]:
        """Blocks whose coded events changed since they were last merged."""
        with self._connect(write=False) as con:
            return [r[0] for r in self._run(con, "SELECT block FROM dirty_blocks ORDER BY block").fetchall()]

    def timeless_blocks(self) -> list[str]:
        """The timeless blocks (no month) that hold coded events."""
        with self._connect(write=False) as con:
            rows = self._run(con, "SELECT DISTINCT block FROM events WHERE block LIKE ?", ['%, "", "%']).fetchall()
        return [r[0] for r in rows if json.loads(r[0])[2] == ""]

    def pair_blocks(self, pair_prefix: str) -> list[str]:
        """Every block key of one pair (`pair_prefix`: the key's JSON up to its bucket), also those that hold
        only merged events (timeless events taken by a month without coded events of their kind)."""
        with self._connect(write=False) as con:
            return [r[0] for r in self._run(con, "SELECT block FROM events WHERE starts_with(block, ?) UNION "
                                                 "SELECT block FROM merged_events WHERE starts_with(block, ?) "
                                                 "ORDER BY block", [pair_prefix, pair_prefix]).fetchall()]

    def block_sizes(self, blocks: list[str]) -> list[tuple[str, int]]:
        """(block, number of coded events) for these blocks, in key order."""
        return sorted(self._in("SELECT block, count(*) FROM events WHERE block IN ({marks}) GROUP BY block", blocks))

    def blocks_events(self, blocks: list[str]) -> dict[str, list[Event]]:
        """The coded events of several blocks, each block's in id order."""
        out: dict[str, list[Event]] = {b: [] for b in blocks}
        rows = self._in("SELECT block, id, data FROM events WHERE block IN ({marks})", blocks)
        for block, _id, data in sorted(rows, key=lambda r: (r[0], r[1])):
            out[block].append(Event.from_dict(json.loads(data)))
        return out

    def cached_clauses(self, keys: list) -> dict:
        """Saved (clause, phrases) for these (sentence, trigger) keys."""
        wanted = set(keys)
        rows = self._in("SELECT sentence, trigger, clause, phrases FROM clause_cache WHERE sentence IN ({marks}) "
                        "AND method = ?", sorted({s for s, _t in keys}), [METHOD])
        return {(s, t or None): (c, json.loads(p)) for s, t, c, p in rows if (s, t or None) in wanted}

    def cached_vectors(self, texts: list[str]) -> dict:
        """Saved MiniLM vectors of these texts."""
        return {t: _text_vector(v) for t, v in self._in("SELECT text, vector FROM text_vectors WHERE text IN ({marks})",
                                                        list(texts))}

    def _save_cache(self, con: Any, cache) -> None:
        """Keep the parses and vectors this run computed (inside the caller's transaction)."""
        self._insert_rows(con, "clause_cache (method, sentence, trigger, clause, phrases)",
                          [[METHOD, s, t or "", c, json.dumps(p)] for (s, t), (c, p) in cache.fresh_clauses.items()],
                          "ON CONFLICT DO NOTHING")
        self._insert_rows(con, "text_vectors (text, vector)",
                          [[t, _vector_text(v)] for t, v in cache.fresh_vectors.items()], "ON CONFLICT DO NOTHING")

    def mark_blocks(self, keys: list[str]) -> None:
        """Mark these blocks for merging again."""
        with self._connect(write=True) as con:
            with self._transaction(con):
                self._insert_rows(con, "dirty_blocks (block)", [[k] for k in keys], "ON CONFLICT DO NOTHING")

    def save_blocks(self, keys: list[str], results: list, cache=None, moved: list[str] = ()) -> None:
        """Replace what blocks `keys` held with `results` (consolidate.blocked.BlockResult) and mark them merged,
        in one transaction that also keeps what `cache` learnt. The coded events `moved` may have been saved
        with another block: their vector and membership there go."""
        from .sql import search_text

        events = [[e.id, e.story_id, e.event_type, e.date, e.num_sources, e.num_articles, e.quad, e.status,
                   e.actor.country, e.recipient.country if e.recipient else None, search_text(e),
                   json.dumps(e.to_dict(), ensure_ascii=False), r.key] for r in results for e in r.merged.events]
        members = [[m, mid] for r in results for mid, ids in r.merged.members.items() for m in ids]
        near = [[r.key, nm.a.id, nm.b.id, nm.reason, repr(nm.similarity)] for r in results
                for nm in r.merged.near_misses]
        vectors = [[ev.id, r.key, _vector_text(v)] for r in results for ev, v in zip(r.raw, r.vectors)]
        with self._connect(write=True) as con:
            with self._transaction(con):
                for chunk in _chunks(keys, self.IN_CHUNK):
                    marks, params = self._list(chunk)
                    gone = [r[0] for r in self._run(con, f"SELECT id FROM merged_events WHERE block IN ({marks})",
                                                    params).fetchall()]
                    self._delete_in(con, "merged_members", "merged_id", gone)
                    self._drop_terms(con, "merged", gone)
                    for table in ("merged_events", "near_misses", "event_vectors", "dirty_blocks"):
                        self._run(con, f"DELETE FROM {table} WHERE block IN ({marks})", params)
                for table, column in (("event_vectors", "event_id"), ("merged_members", "event_id")):
                    self._delete_in(con, table, column, list(moved))
                self._insert_rows(con, f"merged_events ({', '.join(MERGED_COLUMNS)}, block)", events)
                self._index_terms(con, "merged", [(row[0], row[10]) for row in events])
                self._insert_rows(con, "merged_members (event_id, merged_id)", members)
                self._insert_rows(con, "near_misses (block, a_id, b_id, reason, similarity)", near)
                self._insert_rows(con, "event_vectors (event_id, block, vector)", vectors)
                if cache is not None:
                    self._save_cache(con, cache)

    def growth(self, blocks: list[str]) -> dict[str, tuple[list[Event], dict[str, list[str]], dict[str, Any]]]:
        """Per block: its coded events not merged yet (id order), its merged events' members and the wording
        vectors of its coded events merged before (what growing a block by its new events needs)."""
        out = {b: ([], {}, {}) for b in blocks}
        rows = self._in("SELECT block, id, data FROM events WHERE block IN ({marks}) "
                        "AND id NOT IN (SELECT event_id FROM merged_members)", blocks)
        for block, _id, data in sorted(rows, key=lambda r: (r[0], r[1])):
            out[block][0].append(Event.from_dict(json.loads(data)))
        for block, mid, eid in sorted(self._in("SELECT me.block, mm.merged_id, mm.event_id FROM merged_members mm "
                                               "JOIN merged_events me ON me.id = mm.merged_id "
                                               "WHERE me.block IN ({marks})", blocks)):
            out[block][1].setdefault(mid, []).append(eid)
        for block, eid, vector in self._in("SELECT block, event_id, vector FROM event_vectors WHERE block IN ({marks})",
                                           blocks):
            out[block][2][eid] = _text_vector(vector)
        return out

    def save_growth(self, growths: list, cache=None) -> None:
        """Write blocks grown by their new events (consolidate.grow.Growth): the merged events they replace go,
        the changed and new ones, their members, the new near misses and vectors are added, and the blocks are
        marked merged, in one transaction that also keeps what `cache` learnt."""
        from .sql import search_text

        gone = [mid for g in growths for mid in g.gone]
        events = [[e.id, e.story_id, e.event_type, e.date, e.num_sources, e.num_articles, e.quad, e.status,
                   e.actor.country, e.recipient.country if e.recipient else None, search_text(e),
                   json.dumps(e.to_dict(), ensure_ascii=False), g.key] for g in growths for e in g.merged.events]
        with self._connect(write=True) as con:
            with self._transaction(con):
                self._delete_in(con, "merged_members", "merged_id", gone)
                self._delete_in(con, "merged_events", "id", gone)
                self._drop_terms(con, "merged", gone)
                self._delete_in(con, "dirty_blocks", "block", [g.key for g in growths])
                self._insert_rows(con, f"merged_events ({', '.join(MERGED_COLUMNS)}, block)", events)
                self._index_terms(con, "merged", [(row[0], row[10]) for row in events])
                self._insert_rows(con, "merged_members (event_id, merged_id)",
                                  [[m, mid] for g in growths for mid, ids in g.merged.members.items() for m in ids])
                self._insert_rows(con, "near_misses (block, a_id, b_id, reason, similarity)",
                                  [[g.key, nm.a.id, nm.b.id, nm.reason, repr(nm.similarity)] for g in growths
                                   for nm in g.merged.near_misses])
                self._insert_rows(con, "event_vectors (event_id, block, vector)",
                                  [[ev.id, g.key, _vector_text(v)] for g in growths for ev, v in zip(g.raw, g.vectors)])
                if cache is not None:
                    self._save_cache(con, cache)

    def unsummarised_documents(self) -> list[str]:
        """The ids of the documents without a saved summary, in order."""
        with self._connect(write=False) as con:
            return [r[0] for r in self._run(con, "SELECT DISTINCT id FROM documents WHERE id NOT IN "
                                                 "(SELECT doc_id FROM document_summaries) ORDER BY id").fetchall()]

    def document_rows(self, doc_ids: list[str]) -> Iterator[tuple[str, str | None, str, str]]:
        """(document id, published, coded event JSON, its wording vector) for every coded event of these
        documents (given in order), by document; 1,000 documents a query, so the database never sorts them all."""
        for chunk in _chunks(doc_ids, 1000):
            marks, params = self._list(chunk)
            with self._connect(write=False) as con:
                rows = self._run(con, "SELECT d.id, d.published, e.data, v.vector FROM events e JOIN documents d "
                                      "ON d.content_hash = e.content_hash JOIN event_vectors v ON v.event_id = e.id "
                                      f"WHERE d.id IN ({marks}) ORDER BY d.id, e.id", params).fetchall()
            for doc, published, data, vector in rows:
                yield doc, published, data, _text_vector(vector)

    def save_summaries(self, summaries: dict) -> None:
        """Keep these documents' summaries (consolidate.stories.DocSummary by document id)."""
        rows = [[d, s.published, json.dumps(sorted(s.dyads)), _vector_text(s.vector), s.lead[0], s.lead[1]]
                for d, s in summaries.items()]
        with self._connect(write=True) as con:
            with self._transaction(con):
                self._delete_in(con, "document_summaries", "doc_id", [r[0] for r in rows])
                self._insert_rows(con, "document_summaries (doc_id, published, dyads, vector, lead_start, lead)", rows)

    def forget_summaries(self) -> None:
        """Drop every saved summary, so the next consolidation computes each document's again."""
        with self._connect(write=True) as con:
            self._run(con, "DELETE FROM document_summaries")

    def summaries(self) -> Iterator[tuple[str, str | None, str, str, int, str]]:
        """(document id, published, dyads JSON, vector, lead start, lead) of every saved summary."""
        for doc, published, dyads, vector, start, lead in self._stream(
                "SELECT doc_id, published, dyads, vector, lead_start, lead FROM document_summaries ORDER BY doc_id"):
            yield doc, published, dyads, _text_vector(vector), start, lead

    def merged_mentions(self) -> Iterator[tuple[str, str]]:
        """(merged event id, document id) for every mention of every merged event, by merged event."""
        yield from self._stream("SELECT mm.merged_id, m.doc_id FROM merged_members mm JOIN mentions m "
                                "ON m.event_id = mm.event_id ORDER BY mm.merged_id")

    def story_documents(self) -> dict[str, frozenset[str]]:
        """Each stored story's documents."""
        out: dict[str, set[str]] = {}
        for sid, doc in self._stream("SELECT story_id, doc_id FROM story_documents"):
            out.setdefault(sid, set()).add(doc)
        return {sid: frozenset(docs) for sid, docs in out.items()}

    def _events_in(self, table: str, ids: list[str], steps: bool = True) -> list[Event]:
        """Events of `table` with these ids, each 200 parsed as they are read (the JSON of all is never held);
        without `steps`, their merge steps are left out."""
        out = []
        with self._connect(write=False) as con:
            for chunk in _chunks(ids, self.IN_CHUNK):
                marks, params = self._list(chunk)
                for (data,) in self._run(con, f"SELECT data FROM {table} WHERE id IN ({marks})", params).fetchall():
                    d = json.loads(data)
                    if not steps:
                        d.pop("merge", None)
                    out.append(Event.from_dict(d))
        return out

    def merged_events_by_id(self, ids: list[str], steps: bool = True) -> list[Event]:
        """These merged events; without `steps`, without their merge steps (stories do not show them, and
        they are much of an event's data)."""
        return self._events_in("merged_events", ids, steps)

    def merged_joins(self, ids: list[str]) -> dict[str, list[list[str]]]:
        """The pairs of coded event ids the merge steps of these merged events joined, in step order."""
        return {mid: [step["joined"] for step in json.loads(data).get("merge") or []]
                for mid, data in self._in("SELECT id, data FROM merged_events WHERE id IN ({marks})", ids)}

    def coded_events_by_id(self, ids: list[str]) -> list[Event]:
        """These coded events."""
        return self._events_in("events", ids)

    def near_misses_in(self, merged_ids: list[str]) -> list[tuple[str, str, str, float, str, str]]:
        """(a, b, reason, similarity, a's merged event, b's merged event) of the near misses whose first event is
        a member of one of these merged events, in stored order."""
        rows = self._in("SELECT n.a_id, n.b_id, n.reason, n.similarity, n.block, ma.merged_id, mb.merged_id "
                        "FROM near_misses n JOIN merged_members ma ON ma.event_id = n.a_id "
                        "LEFT JOIN merged_members mb ON mb.event_id = n.b_id WHERE ma.merged_id IN ({marks})",
                        merged_ids)
        def order(row):  # as merging found them: blocks in key order, a pair's timeless block after its months
            a, b, bucket = json.loads(row[4])[:3]
            return a, b, bucket == "", bucket, row[0], row[1]
        return [(a, b, reason, float(s), ma, mb) for a, b, reason, s, _block, ma, mb in sorted(rows, key=order)]

    def merged_dates(self, ids: list[str]) -> list[tuple[str, str | None, str | None]]:
        """(id, date, story id) of these merged events."""
        return self._in("SELECT id, date, story_id FROM merged_events WHERE id IN ({marks})", ids)

    def document_titles(self, doc_ids: list[str]) -> dict[str, dict]:
        """document id -> {title, source, published} for these documents."""
        rows = self._in("SELECT id, title, source, published FROM documents WHERE id IN ({marks})", doc_ids)
        return {i: {"title": t, "source": s, "published": p} for i, t, s, p in rows}

    def replace_stories(self, gone: list[str], stories: list[dict], moved: list[tuple[str, str]], cache=None) -> None:
        """Delete stories `gone`, write `stories` (their documents too) and give the merged events `moved`
        ((id, story id): those whose story changed) their story, in one transaction that also keeps what
        `cache` learnt. Moved events are read and rewritten 200 at a time."""
        rows = [[st["id"], st["title"], json.dumps(st["parties"]), st["first_date"], st["last_date"],
                 st["num_events"], st["num_documents"], story_data(st)] for st in stories]
        docs = [[st["id"], d["id"]] for st in stories for d in st["documents"]]
        with self._connect(write=True) as con:
            with self._transaction(con):
                ids = sorted(set(gone) | {st["id"] for st in stories})
                self._delete_in(con, "stories", "id", ids)
                self._delete_in(con, "story_documents", "story_id", ids)
                self._delete_in(con, "story_disagreements", "story_id", ids)
                self._insert_rows(con, f"stories ({', '.join(STORY_COLUMNS)}, data)", rows)
                for st in stories:
                    write_pages(self, con, st["id"], st["comparison"]["disagreements"])
                self._insert_rows(con, "story_documents (story_id, doc_id)", docs)
                for chunk in _chunks(moved):
                    story_of = dict(chunk)
                    marks, params = self._list(list(story_of))
                    events = [Event.from_dict(json.loads(r[0])) for r in self._run(
                        con, f"SELECT data FROM merged_events WHERE id IN ({marks})", params).fetchall()]
                    for ev in events:
                        ev.story_id = story_of[ev.id]
                    values = ", ".join("(?, ?, ?)" for _ in events)
                    self._run(con, f"UPDATE merged_events SET story_id = v.story_id, data = v.data FROM (VALUES {values}) "
                                   "AS v(id, story_id, data) WHERE merged_events.id = v.id",
                              [x for ev in events for x in (ev.id, ev.story_id, json.dumps(ev.to_dict(), ensure_ascii=False))])
                if cache is not None:
                    self._save_cache(con, cache)
