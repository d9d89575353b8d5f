"""Versioned schema for every SQL backend: numbered steps, applied in order, recorded in `schema_version`.

A step is written once in SQL both DuckDB and PostgreSQL accept; `{text}` stands for the backend's text
type (PostgreSQL's compares byte-wise, as DuckDB's does, so ordering and date-prefix filters agree).
To change the schema, append a step with the next number; never edit a step that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .feeds_sql import FEED_TABLES
from .blocks_sql import BLOCK_TABLES, REKEY_BLOCKS, SUMMARY_TABLES, build_blocks
from .stories_sql import (CONSOLIDATION_TABLES, DISAGREEMENT_PAGES, MERGED_FILTER_COLUMNS, STORY_EVENTS_INDEX,
                          drop_story_events, page_disagreements)


@dataclass(frozen=True)
class Migration:
    """One schema step: its number, a short name, and the statements that make it; `build`, when given, is
    called with (store, connection) after them, in the same transaction, for what each backend does its own way."""

    version: int
    name: str
    statements: tuple[str, ...]
    build: Callable[[Any, Any], None] | None = None


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, events and mentions", (
        """CREATE TABLE IF NOT EXISTS documents (
            content_hash {text} PRIMARY KEY, id {text} NOT NULL, title {text}, source {text},
            original_source {text}, url {text}, feed_date {text}, dateline_date {text},
            published {text}, origin {text}, text {text} NOT NULL, ingested_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS events (
            id {text} PRIMARY KEY, content_hash {text} NOT NULL, event_type {text}, quad {text},
            status {text}, actor_country {text}, recipient_country {text}, date {text},
            search_text {text}, data {text} NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS mentions (
            event_id {text} NOT NULL, doc_id {text} NOT NULL, content_hash {text} NOT NULL,
            source {text}, start_offset INTEGER, end_offset INTEGER)""",
    )),
    Migration(2, "index documents by id", (
        "CREATE INDEX IF NOT EXISTS documents_id ON documents (id)",
    )),
    Migration(3, "merged events, stories and the consolidation cache", CONSOLIDATION_TABLES),
    Migration(4, "merged events filterable like coded events", MERGED_FILTER_COLUMNS),
    Migration(5, "full-text search index", (), build=lambda store, con: store._build_search_index(con)),
    Migration(6, "merged view marked stale with every stored document", (
        # One row (id 1) while documents are stored that the merged events and stories do not reflect yet;
        # `generation` grows with each one, so a consolidation clears only the mark it has seen.
        "CREATE TABLE IF NOT EXISTS consolidation_pending (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL)",
        # A store written before this step may hold documents a crash kept out of the merged view: rebuild once.
        "INSERT INTO consolidation_pending (id, generation) SELECT 1, 1 WHERE EXISTS (SELECT 1 FROM documents) "
        "AND NOT EXISTS (SELECT 1 FROM consolidation_pending)",
    )),
    Migration(7, "followed feeds and their items (cablegram watch)", FEED_TABLES),
    Migration(8, "merging block by block: each event's block, blocks to merge again, per-block results",
              BLOCK_TABLES, build=build_blocks),
    Migration(9, "blocks keyed by kind (status and type family) too", REKEY_BLOCKS, build=build_blocks),
    Migration(10, "each document's summary, which stories are grouped from", SUMMARY_TABLES),
    Migration(11, "a story's events read from the merged events, not kept in the story too", STORY_EVENTS_INDEX,
              build=drop_story_events),
    Migration(12, "a story's disagreements kept in pages of their own", DISAGREEMENT_PAGES, build=page_disagreements),
)
LATEST = MIGRATIONS[-1].version


def reached(applied: set[int]) -> int:
    """The version a database is at, from the steps recorded as applied: the newest step with every earlier
    step applied too (step numbers need not be consecutive), or the newest recorded when it is newer than
    this code knows."""
    if applied and max(applied) > LATEST:
        return max(applied)
    level = 0
    for step in MIGRATIONS:
        if step.version not in applied:
            break
        level = step.version
    return level

VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name {text} NOT NULL, " \
                "applied_at TIMESTAMP NOT NULL)"
