"""Small hand-made documents and events for store tests (no NLP needed, so the tests stay fast)."""

from __future__ import annotations

from cablegram.models import Document, Event, Location, Mention, Party

COUNTRIES = ["FRA", "DEU", "RUS", "USA", "CHN", "BRA", "IND", "ZAF"]
TYPES = ["CONSULT", "ACCUSE", "AID", "SANCTION", "AGREE"]


def make_item(n: int, events_per_doc: int = 2) -> tuple[Document, list[Event]]:
    """Document number `n` with a few events whose fields vary with `n`."""
    text = f"Report {n}. The ministers of two states met on day {n % 28 + 1} and talked about trade and borders."
    doc = Document(id=f"doc-{n}", text=text, title=f"Report {n}", source=["TASS", "Reuters", None][n % 3],
                   feed_date=f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}", origin=f"gen:{n}")
    events = []
    for k in range(events_per_doc):
        a, r = COUNTRIES[(n + k) % len(COUNTRIES)], COUNTRIES[(n + 3 * k + 1) % len(COUNTRIES)]
        ev = Event(event_type=TYPES[(n + k) % len(TYPES)],
                   actor=Party(text=f"officials of {a}", country=a, name=a, sector=["GOV"]),
                   recipient=Party(text=f"envoys of {r}", country=r),
                   date=doc.feed_date if k == 0 else None, confidence=0.5 + k / 10,
                   location=Location(text="Geneva", country="CHE", name="Geneva", lat=46.2, lon=6.1),
                   mentions=[Mention(doc_id=doc.id, sentence=text[:40], start=k * 10, end=k * 10 + 40,
                                     source=doc.source, trigger="met")])
        ev.assign_id()
        events.append(ev)
    return doc, events


def write_until(db: str, numbers: list[int], seconds: float) -> list[tuple[int, bool]]:
    """Add documents `numbers` in order, one per call, until done or `seconds` pass; what each add returned.

    Runs in a separate process (a real second writer), with its own store object.
    """
    import time

    from cablegram.store import open_store

    deadline = time.monotonic() + seconds
    done = []
    with open_store(db) as store:
        for n in numbers:
            if time.monotonic() >= deadline:
                break
            done.append((n, store.add(*make_item(n))))
    return done
