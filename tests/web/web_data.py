"""The web tests' corpus (our own wording) and the hostile markup planted in one of its articles."""

from pathlib import Path

from cablegram.store import open_store

CORPUS = Path(__file__).parent / "corpus.jsonl"
HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def fill(db: str, coded: list) -> None:
    """Store coded (document, events) pairs and build the stories, as the `ingest` command does."""
    with open_store(db) as store:
        for doc, events in coded:
            store.add(doc, events)
        store.consolidate()
