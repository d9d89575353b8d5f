"""cablegram: news reports to source-attributed PLOVER political event data.

For notebooks and scripts (see README, "Python API"):
    code_text(text, date)      one report's text -> events (dicts in the docs/event.schema.json shape)
    code_documents(items)      files, directories or records -> events, merged across reports
    ingest(items, db)          code into a DuckDB file or PostgreSQL database, then merge and build stories
    open_store(db)             query a store: .events(...), .events_frame(...), .stories(), .why(id)
    to_frame(events), to_arrow(events)   events as a pandas DataFrame / pyarrow Table
Models load on first use, not on import.
"""

__version__ = "0.1.0"

from .notebook import (  # noqa: E402  (after __version__, which the modules below read)
    EventStore, SkippedRecordWarning, code_documents, code_text, ingest, open_store, to_arrow, to_frame)

__all__ = ["EventStore", "SkippedRecordWarning", "__version__", "code_documents", "code_text", "ingest",
           "open_store", "to_arrow", "to_frame"]
