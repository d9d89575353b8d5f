"""Write events as JSONL, CSV, the PLOVER layout or a terminal table (Parquet: output_parquet.py)."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

CSV_COLUMNS = ["id", "event_type", "mode", "quad", "status", "confidence", "date", "date_text",
               "actor_text", "actor_name", "actor_country", "actor_sector",
               "recipient_text", "recipient_name", "recipient_country", "recipient_sector",
               "location_name", "location_country", "lat", "lon",
               "num_mentions", "num_articles", "num_sources", "doc_ids", "sources", "hedged", "speaker", "sentence"]


def flatten(ev: dict) -> dict:
    """One flat row per event for CSV and tables; the first mention's sentence stands for all."""
    actor, rec, loc = ev["actor"], ev.get("recipient") or {}, ev.get("location") or {}
    mentions = ev["mentions"]
    return {
        "id": ev["id"], "event_type": ev["event_type"], "mode": ev.get("mode"), "quad": ev.get("quad"),
        "status": ev["status"], "confidence": ev.get("confidence"), "date": ev.get("date"),
        "date_text": ev.get("date_text"),
        "actor_text": actor.get("text"), "actor_name": actor.get("name"), "actor_country": actor.get("country"),
        "actor_sector": ";".join(actor.get("sector") or []),
        "recipient_text": rec.get("text"), "recipient_name": rec.get("name"),
        "recipient_country": rec.get("country"), "recipient_sector": ";".join(rec.get("sector") or []),
        "location_name": loc.get("name"), "location_country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"),
        "num_mentions": len(mentions),
        "num_articles": ev.get("num_articles"), "num_sources": ev.get("num_sources"),  # merged events only
        "doc_ids": ";".join(dict.fromkeys(m["doc_id"] for m in mentions)),
        "sources": ";".join(dict.fromkeys(m.get("source") or "" for m in mentions if m.get("source"))),
        "hedged": any(m.get("hedged") for m in mentions),
        "speaker": next((m.get("speaker") for m in mentions if m.get("speaker")), None),
        "sentence": mentions[0]["sentence"],
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula ("=HYPERLINK(...)" in an article) gets a leading
    apostrophe, so opening a downloaded CSV never executes attacker text; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_events(events: Iterable[dict], fmt: str, out: IO[str]) -> int:
    """Write events in `fmt` (jsonl, plover, csv or table) and return how many were written."""
    n = 0
    if fmt in ("jsonl", "plover"):
        from .output_plover import to_plover

        for ev in events:
            out.write(json.dumps(to_plover(ev) if fmt == "plover" else ev, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for ev in events:
            writer.writerow({k: spreadsheet_safe(v) for k, v in flatten(ev).items()})
            n += 1
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=False)
        table.add_column("id", no_wrap=True)  # whole, so it can be copied into `cablegram why ID`
        for col in ("date", "type", "actor", "recipient", "status", "reports", "sentence"):
            table.add_column(col, overflow="fold")
        for ev in events:
            row = flatten(ev)
            actor = f"{row['actor_country'] or '?'} {row['actor_name'] or row['actor_text']}"
            rec = f"{row['recipient_country'] or '?'} {row['recipient_name'] or row['recipient_text'] or ''}".strip()
            cells = (row["id"], row["date"] or "", row["event_type"], actor, rec, row["status"],
                     str(row["num_articles"] or len(row["doc_ids"].split(";"))), row["sentence"][:160])
            table.add_row(*(Text(c) for c in cells))  # Text, not markup: article words are untrusted
            n += 1
        Console(file=out, width=180).print(table)
    else:
        raise ValueError(f"unknown format {fmt!r}: use jsonl, plover, csv or table")
    return n
