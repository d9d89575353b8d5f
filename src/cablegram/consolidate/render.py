"""Terminal views of stories and merge explanations (Rich; article words are rendered as plain Text)."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text


def _row(table: Table, *cells) -> None:
    table.add_row(*(Text("" if c is None else str(c)) for c in cells))


def stories_table(stories: list[dict], out: IO[str]) -> None:
    """One line per story."""
    table = Table("id", "title", "parties", "first", "last", "events", "documents")
    for st in stories:
        _row(table, st["id"], st["title"], " ".join(st["parties"]), st["first_date"], st["last_date"],
             st["num_events"], st["num_documents"])
    Console(file=out, width=160).print(table)


def story_view(st: dict, out: IO[str]) -> None:
    """A story: its events, its issues with their timelines, and the source comparison."""
    con = Console(file=out, width=160)
    con.print(Text(f"{st['title']}  ({st['id']}, {st['first_date'] or '?'} to {st['last_date'] or '?'}, "
                   f"{st['num_documents']} documents)", style="bold"))
    events = Table("event", "date", "type", "actor", "recipient", "sources", "articles", "sentence", title="events")
    for ev in st["events"]:
        _row(events, ev["id"], ev["date"], ev["event_type"], ev["actor"]["country"],
             (ev.get("recipient") or {}).get("country"), ev.get("num_sources"), ev.get("num_articles"),
             ev["mentions"][0]["sentence"][:90])
    con.print(events)
    for issue in st["issues"]:
        tl = Table("date", "state", "type", "actor", "recipient", "sources", "sentence",
                   title=f"issue: {issue['label']} ({', '.join(issue['phrases'])})")
        for step in issue["timeline"]:
            _row(tl, step["date"], step["state"], step["event_type"], step["actor"], step["recipient"],
                 ", ".join(step["sources"]), step["sentence"][:80])
        con.print(tl)
    cmp = st["comparison"]
    facts = Table("who reports it", "event", "type", "date", "sentence", title="source comparison")
    for b in cmp["shared"]:
        _row(facts, "all outlets", b["event_id"], b["event_type"], b["date"], b["sentence"][:90])
    for outlet, briefs in cmp["only"].items():
        for b in briefs:
            _row(facts, f"only {outlet}", b["event_id"], b["event_type"], b["date"], b["sentence"][:90])
    for d in cmp["disagreements"]:
        _row(facts, f"disagree on {d['kind']}", " ".join(d["event_ids"]), "", "", d["detail"])
    for h in cmp["hedged"]:
        _row(facts, f"hedged by {', '.join(h['hedged_by'])}", h["event_id"], h["event_type"], h["date"],
             h["sentence"][:90])
    con.print(facts)


def why_view(info: dict, out: IO[str]) -> None:
    """What was merged into an event and what matched at each step."""
    ev = info["event"]
    con = Console(file=out, width=160)
    con.print(Text(f"{ev['id']}: {ev['event_type']} {ev['actor']['country']} -> "
                   f"{(ev.get('recipient') or {}).get('country')} {ev.get('date') or 'undated'}; "
                   f"{ev.get('num_articles')} article(s), {ev.get('num_sources')} source(s); "
                   f"built from {', '.join(info['members'])}"))
    if not info["steps"]:
        con.print(Text("not merged with any event from another document"))
    for step in info["steps"]:
        con.print(Text(f"joined {' + '.join(step['joined'])}: types {step['types']}; parties {step['parties']}; "
                       f"dates {step['dates']}; places {step['places']}; wording similarity {step['similarity']}; "
                       f"enough because: {step.get('evidence', '')}"))
    for m in ev["mentions"]:
        con.print(Text(f"  [{m.get('source') or m['doc_id']}] {m['sentence']}"))
