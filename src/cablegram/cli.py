"""The cablegram command line: code, classify, ingest, watch, events, consolidate, stories, story, why, serve."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news reports into source-attributed PLOVER political event data.")
err = Console(stderr=True, soft_wrap=True)  # one skip report per line, never wrapped


class Format(str, Enum):
    jsonl = "jsonl"
    table = "table"
    csv = "csv"
    plover = "plover"
    parquet = "parquet"


FORMAT_HELP = "Output format: jsonl, csv, table, plover (PLOVER JSON layout) or parquet (needs --output); docs/formats.md."


INPUTS_HELP = "Files, directories, http(s) URLs of article pages or RSS/Atom feeds, or - for standard input."

WORKERS = typer.Option(1, "--workers", "-w", min=1,
                       help="Worker processes that code in parallel (each loads the models); output keeps input order.")
EXTRACTOR = typer.Option("lexicon", "--extractor", help="lexicon (the default: trigger lexicon and rules) or learned "
                         "(pair model and pair encoder, docs/extraction.md; slower).")
DATE = typer.Option(None, "--date", help="YYYY-MM-DD: the publication date of reports that give no full date "
                    "(a dateline or metadata day without a year takes its year; a report with no date takes it).")


def _version(show: bool) -> None:
    if show:
        from . import __version__

        print(f"cablegram {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")):
    """Turn news reports into source-attributed PLOVER political event data."""


def bad_input(message: str) -> None:
    """Stop with a one-line reason and exit status 2, as for any bad input."""
    err.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(2)


def fail(message: str) -> None:
    """Stop with a one-line reason and a non-zero exit status."""
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(1)


@contextmanager
def progress(label: str, paths: list[str]):
    """A progress display of records read on stderr (stdout stays clean for data), with a total when the
    inputs' size is known; silent when stderr is not a terminal."""
    from .record_count import count_records

    bar = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TextColumn("{task.fields[events]} events"), TimeElapsedColumn(),
                   console=err, transient=False, disable=not err.is_terminal)
    total = count_records(paths) if err.is_terminal else None
    with bar:
        yield bar, bar.add_task(label, total=total, events=0)


def _show_progress(bar, task, report) -> None:
    """Move the bar to the records handled so far: coded, already stored or skipped."""
    bar.update(task, completed=report.coded + report.unchanged + len(report.skipped), events=report.events)


def _write(events, fmt: Format, output: Optional[Path]) -> None:
    """Write events in `fmt` to `output`, or to stdout (never Parquet: it is binary)."""
    from .output import write_events

    if fmt is Format.parquet:
        from .output_parquet import write_parquet

        write_parquet(events, output)
    elif output is not None:
        with output.open("w", encoding="utf-8") as out:
            write_events(events, fmt.value, out)
    else:
        write_events(events, fmt.value, sys.stdout)


def _check_output(fmt: Format, output: Optional[Path]) -> None:
    """Refuse Parquet without a file before any work is done, and an --output in a missing directory."""
    if fmt is Format.parquet and output is None:
        fail("Parquet is a binary format: write it to a file with --output FILE.parquet")
    if output is not None and not output.parent.is_dir():
        fail(f"no such directory for --output: {output.parent}")


def report_skipped(report) -> None:
    """List every assumption made about a report's date, every bad field read past and every skipped record
    with its reason; exit status 2 tells scripts that something in the input was bad."""
    for s in report.notices:
        err.print(f"notice {s.origin}: {s.reason}", markup=False, highlight=False)
    for s in report.flawed:
        err.print(f"warning {s.origin}: {s.reason}", markup=False, highlight=False)
    for s in report.skipped:
        err.print(f"skipped {s.origin}: {s.reason}", markup=False, highlight=False)
    if report.flawed:
        err.print(f"{len(report.flawed)} bad field(s) read past", markup=False)
    if report.skipped:
        err.print(f"{len(report.skipped)} record(s) skipped", markup=False)
    if report.skipped or report.flawed:
        raise typer.Exit(2)


def _check_paths(paths: list[str]) -> None:
    """For scoring commands, where a missing report would change the figures: stop unless every path exists."""
    from .documents import is_url

    missing = [p for p in paths if p != "-" and not is_url(p) and not Path(p).exists()]
    if missing:
        fail(f"no such file or directory: {missing[0]}")


def _check_date(value: Optional[str]):
    """The --date option as a date, or a one-line failure (exit 2) saying what is wrong with it."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        bad_input(f"--date must be a day, YYYY-MM-DD (got {value!r})")


def _check_extractor(value: str) -> None:
    from .workers import EXTRACTORS

    if value not in EXTRACTORS:
        bad_input(f"--extractor must be {' or '.join(EXTRACTORS)}, not {value!r}")


@app.command()
def code(paths: list[str] = typer.Argument(..., help=INPUTS_HELP),
         fmt: Format = typer.Option(Format.jsonl, "--format", "-f", help=FORMAT_HELP),
         output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
         workers: int = WORKERS,
         no_merge: bool = typer.Option(False, "--no-merge",
                                       help="Keep each document's events apart and write them as they are coded."),
         date: Optional[str] = DATE, extractor: str = EXTRACTOR):
    """Code reports into PLOVER events and write them (one JSON object per line by default); the same
    event told by several documents is merged into one carrying every mention. Merging needs the whole
    input before anything is written: for a stream use --no-merge, or ingest into a store."""
    from .pipeline import RunReport, code_paths
    from .workers import open_coder

    _check_output(fmt, output)
    given = _check_date(date)
    _check_extractor(extractor)
    report = RunReport()
    with open_coder(workers, extractor) as coder, progress("coding", paths) as (bar, task):
        def coded():
            for _doc, evs in code_paths(paths, coder, report, date=given):
                yield from evs
                _show_progress(bar, task, report)
            _show_progress(bar, task, report)
        if no_merge:
            events = (e.to_dict() for e in coded())
        else:  # merging needs every document's events first
            from .consolidate import merge

            events = [e.to_dict() for e in merge(list(coded())).events]
        _write(events, fmt, output)
    report_skipped(report)


@app.command()
def classify(source: str = typer.Argument("-", help="JSONL file of {text, source, target}, or - for stdin.")):
    """Type sentences: one JSONL result line per input line, in the same order; bad lines get an error object."""
    import json

    from .coding.classify_io import classify_lines

    if source != "-" and not Path(source).is_file():
        fail(f"no such file: {source}")
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    bad = 0
    with stream:
        for result in classify_lines(stream):
            bad += "error" in result
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    if bad:
        err.print(f"{bad} line(s) could not be classified", markup=False)
        raise typer.Exit(2)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help=INPUTS_HELP),
           db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to store into."),
           workers: int = WORKERS, date: Optional[str] = DATE, extractor: str = EXTRACTOR):
    """Code reports and store documents and events; documents already stored are not coded again."""
    from .pipeline import RunReport, ingest_paths
    from .store import StoreError, open_store
    from .workers import open_coder

    given = _check_date(date)
    _check_extractor(extractor)
    report = RunReport()
    try:
        with open_store(db) as store, open_coder(workers, extractor) as coder:
            with progress("ingesting", paths) as (bar, task):
                ingest_paths(paths, coder, store, report, on_stored=lambda _n: _show_progress(bar, task, report),
                             date=given)
                _show_progress(bar, task, report)
            if store.pending_consolidation() is not None:  # stored now, or by a run that stopped before merging
                start = time.perf_counter()
                _consolidate(store)
                err.print(f"merged events and stories consolidated in {time.perf_counter() - start:.1f} s",
                          markup=False)
            total = store.stats()
    except StoreError as exc:
        fail(str(exc))
    err.print(f"{report.coded} document(s) coded, {report.events} event(s); {report.unchanged} already stored; "
              f"{_db_name(db)} now holds {total['documents']} document(s), {total['events']} event(s)", markup=False)
    report_skipped(report)


@app.command()
def watch(urls: Optional[list[str]] = typer.Argument(None, help="URLs of RSS/Atom feeds or article pages."),
          db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to store into."),
          feeds: Optional[Path] = typer.Option(None, "--feeds", help="A feeds file: one URL per line, or TOML "
                                               r"(\[\[feed]] tables with url, name and every)"
                                               " when it ends in .toml."),
          every: str = typer.Option("15m", "--every", help="Time between two polls of a feed: 90s, 15m, 1h..."),
          once: bool = typer.Option(False, "--once", help="Poll every feed once and stop."),
          timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds one request may take."),
          retries: int = typer.Option(2, "--retries", min=0, help="Further attempts at a request that failed in a "
                                      "way that may pass (time-out, HTTP 5xx or 429), with doubling pauses."),
          host_delay: float = typer.Option(1.0, "--host-delay", min=0.0,
                                           help="Seconds at least between two requests to the same host.")):
    """Follow feeds and pages as they publish: poll each one (conditionally, so an unchanged feed costs one
    short answer), code and store every new item's page, merge, and print a line per round. Failures are
    reported and tried again next round; Ctrl-C or SIGTERM stops after the current item."""
    import threading

    from .live.feed_list import FeedListError, Followed, parse_duration, read_feed_list
    from .live.http import FetchError, Fetcher, FetchSettings, check_url
    from .live.watch import Watcher, follow, stop_on_signals
    from .store import StoreError, open_store

    try:
        interval = parse_duration(every)
        listed = read_feed_list(feeds) if feeds is not None else []
    except FeedListError as exc:
        fail(str(exc))
    unique: dict[str, Followed] = {}
    for f in [*listed, *(Followed(u) for u in urls or [])]:
        unique.setdefault(f.url, f)  # a URL both listed and given keeps the feeds file's name and interval
    followed = list(unique.values())
    if not followed:
        fail("nothing to follow: give feed or page URLs, or --feeds FILE")
    for f in followed:
        try:
            check_url(f.url)
        except FetchError as exc:
            fail(str(exc))
    stop = threading.Event()
    settings = FetchSettings(timeout=timeout, retries=retries, host_delay=host_delay)
    failures = 0

    def on_round(report) -> None:
        nonlocal failures
        failures = len(report.failures)
        for failure in report.failures:
            err.print(failure.line(), markup=False, highlight=False)
        total = store.stats()
        err.print(report.line(total["documents"], total["events"]), markup=False, highlight=False)

    def on_signal(name: str) -> None:
        err.print(f"{name}: stopping after the current item (again to stop at once)", markup=False)

    try:
        with open_store(db) as store, Fetcher(settings, stop) as fetcher, stop_on_signals(stop, on_signal):
            err.print(f"following {len(followed)} feed(s) into {_db_name(db)}" +
                      ("" if once else f", every {every}; Ctrl-C to stop"), markup=False)
            follow(Watcher(store, fetcher, stop), followed, interval, once, on_round)
    except StoreError as exc:
        fail(str(exc))
    if once and failures:
        raise typer.Exit(2)


def _db_name(db: str) -> str:
    """The --db value for messages, without any password in a URL."""
    from .store import is_postgres

    if is_postgres(db) and "@" in db:
        scheme, rest = db.split("://", 1)
        return f"{scheme}://{rest.rsplit('@', 1)[1]}"
    return db


def _require_db(db: str) -> None:
    """Fail with a hint when a DuckDB file named by --db does not exist (a URL is checked on connecting)."""
    from .store import is_postgres

    if not is_postgres(db) and not Path(db).exists():
        fail(f"no such database: {db} (create it with: cablegram ingest PATH --db {db})")


def _open_for_reading(db: str):
    """A read-only store, or a one-line failure saying how to create or fix it."""
    from .store import StoreError, open_store

    _require_db(db)
    try:
        return open_store(db, read_only=True)
    except StoreError as exc:
        fail(str(exc))


@app.command()
def events(db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to read."),
           actor: Optional[str] = typer.Option(None, help="Actor country or organisation: a code in any case "
                                               "or a name, e.g. RUS, rus, Russia."),
           recipient: Optional[str] = typer.Option(None, help="Recipient country or organisation, e.g. USA."),
           event_type: Optional[str] = typer.Option(None, "--type", help="PLOVER event type, e.g. CONSULT."),
           since: Optional[str] = typer.Option(None, help="Earliest date, YYYY[-MM[-DD]]."),
           until: Optional[str] = typer.Option(None, help="Latest date, YYYY[-MM[-DD]]."),
           source: Optional[str] = typer.Option(None, help="Outlet name."),
           text: Optional[str] = typer.Option(None, help="Words that must appear in a sentence or party."),
           limit: int = typer.Option(1000, min=1, max=1_000_000, help="At most this many events."),
           per_report: bool = typer.Option(False, "--per-report",
                                            help="List events as coded in each report, not merged across reports."),
           fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
           output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout.")):
    """Query stored events: one per real-world event, merged across the reports that tell it (with
    num_sources and num_articles); --per-report lists them as coded in each report."""
    from .filter_values import BadFilter, date_bound, party_code
    from .filter_values import event_type as plover_type
    from .store import EventFilter

    _check_output(fmt, output)
    try:
        f = EventFilter(actor=actor and party_code(actor), recipient=recipient and party_code(recipient),
                        event_type=event_type and plover_type(event_type), since=since and date_bound(since),
                        until=until and date_bound(until), source=source, text=text, limit=limit,
                        merged=not per_report)
    except BadFilter as exc:
        bad_input(str(exc))
    with _open_for_reading(db) as store:
        found = store.events(f)
        if f.merged and not found and not store.count_stories() and store.stats()["events"]:
            err.print(f"no merged events yet: build them with: cablegram consolidate --db {_db_name(db)} "
                      "(or list them as coded with --per-report)", markup=False)
    _write(found, fmt, output)


def _consolidate(store, full: bool = False) -> int:
    """Bring merged events and stories up to date (`full`: recompute all of them), or stop with the reason
    (stored documents stay stored)."""
    try:
        with err.status("merging events across documents and building stories"):
            return store.consolidate(full)
    except Exception as exc:
        fail(f"documents are stored, but merging them failed ({type(exc).__name__}: {exc}); "
             "retry with: cablegram consolidate --db ...")


@app.command("consolidate")
def consolidate_command(db: str = typer.Option("cablegram.duckdb", "--db",
                                               help="DuckDB file or postgresql:// URL to update.")):
    """Recompute merged events and stories from every stored event, block by block (ingest updates the
    blocks and stories its documents touch by itself; use this after documents were added another way)."""
    from .store import StoreError, open_store

    _require_db(db)
    try:
        with open_store(db) as store:
            n = _consolidate(store, full=True)
    except StoreError as exc:
        fail(str(exc))
    err.print(f"{n} stories", markup=False)


class ViewFormat(str, Enum):
    table = "table"
    json = "json"


def _show(value, fmt: ViewFormat, view) -> None:
    """Print a stored view as indented JSON or through its table renderer."""
    import json

    if fmt is ViewFormat.json:
        print(json.dumps(value, ensure_ascii=False, indent=1))
    else:
        view(value, sys.stdout)


@app.command()
def stories(db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to read."),
            fmt: ViewFormat = typer.Option(ViewFormat.table, "--format", "-f", help="Output format.")):
    """List the stories: documents and events grouped by parties, wording and time."""
    from .consolidate.render import stories_table

    with _open_for_reading(db) as store:
        rows = store.stories()
        if not rows and store.stats()["events"]:
            err.print(f"no stories yet: build them with: cablegram consolidate --db {_db_name(db)}", markup=False)
    _show(rows, fmt, stories_table)


@app.command()
def story(story_id: str = typer.Argument(..., help="Story id, as listed by 'cablegram stories'."),
          db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to read."),
          fmt: ViewFormat = typer.Option(ViewFormat.table, "--format", "-f", help="Output format.")):
    """One story: its events, issues with their timelines, and what each outlet reports."""
    from .consolidate.render import story_view

    with _open_for_reading(db) as store:
        st = store.story(story_id)
    if st is None:
        fail(f"no story {story_id} in {_db_name(db)} (list them with: cablegram stories --db ...)")
    _show(st, fmt, story_view)


@app.command()
def why(event_id: str = typer.Argument(..., help="A merged or coded event id."),
        db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to read."),
        fmt: ViewFormat = typer.Option(ViewFormat.table, "--format", "-f", help="Output format.")):
    """Explain an event: which coded events were merged into it and what matched."""
    from .consolidate.render import why_view

    with _open_for_reading(db) as store:
        info = store.why(event_id)
    if info is None:
        fail(f"no event {event_id} in {_db_name(db)}")
    _show(info, fmt, why_view)


@app.command("evaluate-merge")
def evaluate_merge(paths: list[str] = typer.Argument(..., help="Reports to code and merge."),
                   gold: Path = typer.Option(..., "--gold", "-g", help="Gold merge file (eval/merge/README.md)."),
                   no_merge: bool = typer.Option(False, "--no-merge", help="Score without merging (baseline)."),
                   errors: bool = typer.Option(False, "--errors", help="List pairs kept apart or merged wrongly."),
                   stories: Optional[Path] = typer.Option(None, "--stories",
                                                          help="Gold stories (lists of document ids) to score too.")):
    """Code reports, merge across documents and score the merges: pairwise precision and recall."""
    from .coding.coder import Coder
    from .consolidate import merge
    from .consolidate.evaluate import load_merge_gold, load_story_gold, score_merge, score_stories
    from .pipeline import RunReport, code_paths

    _check_paths(paths)
    if not gold.is_file():
        fail(f"no such gold file: {gold}")
    if stories is not None and not stories.is_file():
        fail(f"no such stories file: {stories}")
    try:
        gold_events = load_merge_gold(gold)
        gold_stories = load_story_gold(stories) if stories is not None else None
    except ValueError as exc:
        fail(str(exc))
    report = RunReport()
    coded = [e for _doc, evs in code_paths(paths, Coder(), report) for e in evs]
    merged = coded if no_merge else merge(coded).events
    strict = score_merge(merged, gold_events, strict=True)
    s = score_merge(merged, gold_events)
    print(f"pairs merged {s.merged_pairs}, correct {s.true_pairs}, gold pairs {s.gold_pairs} coded "
          f"(of {s.gold_pairs_all}); precision {s.precision:.3f} recall {s.recall:.3f} F1 {s.f1:.3f}; "
          f"{s.mapped} coded items in the gold, {s.unmapped} mention(s) the gold does not name")
    print(f"counting each coded event apart (a fact coded twice in one document and merged once counts as "
          f"missed): precision {strict.precision:.3f} recall {strict.recall:.3f} F1 {strict.f1:.3f}")
    if gold_stories is not None:
        from .consolidate import consolidate

        grouped = [[d["id"] for d in st["documents"]] for st in consolidate(coded).stories]
        p, r, together, gold_pairs, hit = score_stories(grouped, gold_stories)
        print(f"stories: {len(grouped)} found, {len(gold_stories)} in the gold; document pairs together {together}, "
              f"correct {hit}, gold pairs {gold_pairs}; precision {p:.3f} recall {r:.3f}")
    if errors:
        for g, d1, d2 in s.missed:
            print(f"kept apart\t{g}\t{d1}\t{d2}")
        for g1, d1, g2, d2 in s.wrong:
            print(f"merged wrongly\t{g1}\t{d1}\t{g2}\t{d2}")
    report_skipped(report)


@app.command()
def serve(db: str = typer.Option("cablegram.duckdb", "--db", help="DuckDB file or postgresql:// URL to serve."),
          host: str = typer.Option("127.0.0.1", help="Interface to bind; loopback by default."),
          port: int = typer.Option(8000, help="Port."),
          workers: int = typer.Option(1, "--workers", min=1, max=64,
                                      help="Server processes; one per core answers the most readers.")):
    """Serve the dashboard and the JSON API."""
    import uvicorn

    from .store import StoreError, open_store
    from .web.app import DB_VARIABLE, create_app

    _require_db(db)
    try:
        with open_store(db) as store:  # a run that stopped between storing and merging left work to finish
            if store.pending_consolidation() is not None:
                _consolidate(store)
        web = create_app(db)  # also checks the store before any worker starts
    except StoreError as exc:
        fail(str(exc))
    writes = "enabled (bearer token from CABLEGRAM_TOKEN)" if os.environ.get("CABLEGRAM_TOKEN") else \
        "disabled (set CABLEGRAM_TOKEN to enable)"
    err.print(f"serving {_db_name(db)} at http://{host}:{port}/ with {workers} worker(s); "
              f"POST /api/documents {writes}", markup=False)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: {host} is reachable from other machines", markup=False)
    if workers == 1:
        uvicorn.run(web, host=host, port=port, log_level="warning")
        return
    os.environ[DB_VARIABLE] = db  # each worker process builds its own app from it
    uvicorn.run("cablegram.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


@app.command()
def evaluate(paths: list[str] = typer.Argument(..., help="Reports to code (files or directories)."),
             gold: Path = typer.Option(..., "--gold", "-g", help="Gold events, JSONL (see eval/README.md)."),
             errors: bool = typer.Option(False, "--errors", help="List missed and spurious events."),
             extractor: str = EXTRACTOR):
    """Code reports and score the events against a gold file: precision, recall and F1 per document, then
    type-only, parties-only and per-type figures and the causes of the misses."""
    from rich.table import Table

    from .evaluate import breakdown, load_gold, score
    from .pipeline import RunReport, code_paths
    from .workers import make_coder

    _check_paths(paths)
    if not gold.is_file():
        fail(f"no such gold file: {gold}")
    report = RunReport()
    _check_extractor(extractor)
    coder = make_coder(extractor)
    predicted = [e.to_dict() for _doc, evs in code_paths(paths, coder, report) for e in evs]
    golds = load_gold(gold)
    scores = score(predicted, golds)
    table = Table("document", "gold", "coded", "matched", "precision", "recall", "F1")
    for doc_id, s in scores.items():
        table.add_row("all" if doc_id == "*" else doc_id, str(s.gold), str(s.predicted), str(s.matched),
                      f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}")
    Console().print(table)
    figures = breakdown(predicted, golds)
    for name in ("full", "type", "parties"):
        p, r = figures[name]
        print(f"{name:8s} precision {p:.2f} recall {r:.2f}")
    print("per type (gold, coded, matched): " + ", ".join(
        f"{t} {g}/{c}/{m}" for t, (g, c, m) in figures["per_type"].items()))
    print("missed by cause: " + ", ".join(f"{k} {v}" for k, v in sorted(figures["miss_causes"].items())))
    if "place" in figures:
        print(f"place: {figures['place'][0]} of {figures['place'][1]} matched events with a gold place "
              "have its country")
    if errors:
        total = scores["*"]
        for kind, rows in (("missed", total.missed), ("spurious", total.spurious)):
            for r in rows:
                print(f"{kind}\t{r['doc_id']}\t{r['event_type']}\t{r['actor']}\t{r['recipient']}\t{r.get('date')}"
                      f"\t{r.get('note') or r.get('sentence', '')[:100]}")
    report_skipped(report)


@app.command()
def bench(docs: int = typer.Option(1000, "--docs", "-n", min=10, help="Generated articles to code."),
          workers: int = WORKERS,
          repeat: int = typer.Option(1, "--repeat", min=1, help="Rounds of (plain spaCy, cablegram) passes."),
          seed: int = typer.Option(0, "--seed", help="Seed of the generated feed."),
          as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON.")):
    """Speed and peak memory of coding a generated feed, next to a plain spaCy pass over the same texts."""
    import json

    from rich.table import Table

    from .bench import run

    result = run(docs=docs, workers=workers, repeat=repeat, seed=seed)
    if as_json:
        print(json.dumps(result, indent=2))
        return
    table = Table("round", "pass", "docs/s", "words/s", "seconds", "peak MB", "events", "ratio")
    for i, r in enumerate(result["rounds"], 1):
        for name in ("spacy", "cablegram"):
            row = r[name]
            peak = f"{row['peak_mb']:.0f}" + (f" (+{row['workers_peak_mb']:.0f}/worker)" if row["workers_peak_mb"] else "")
            table.add_row(str(i), "plain spaCy nlp.pipe" if name == "spacy" else f"cablegram ({workers} worker(s))",
                          f"{row['docs_per_s']:.1f}", f"{row['words_per_s']:.0f}", f"{row['seconds']:.1f}", peak,
                          str(row["events"]) if name == "cablegram" else "", f"{r['ratio']:.2f}" if name != "spacy" else "")
    Console().print(table)
    print(f"{docs} documents, {result['cpus']} CPUs; median ratio cablegram/spaCy docs/s: {result['median_ratio']:.2f}")


@app.command()
def spark(source: Path = typer.Argument(..., help="Parquet file (or directory) of documents."),
          target: str = typer.Argument(..., help="Directory to write the events Parquet to (overwritten)."),
          master: Optional[str] = typer.Option(None, "--master", help="Spark master, e.g. local[4]; default: "
                                                "the session's (spark-submit) or local[*]."),
          partitions: Optional[int] = typer.Option(None, "--partitions", min=1,
                                                   help="Input partitions; default: 3 per core, at least 32 "
                                                        "documents each."),
          no_merge: bool = typer.Option(False, "--no-merge", help="Write the events as coded per document, "
                                                                  "without merging or stories.")):
    """Code a Parquet of documents on Apache Spark (PySpark mapInPandas) into a Parquet of events, merged
    across documents block by block as a local ingest merges them, with stories in TARGET_stories."""
    from .spark import run, stories_path

    if not source.exists():
        fail(f"no such file or directory: {source}")
    try:
        count, errors = run(str(source), target, master=master, partitions=partitions, merge=not no_merge)
    except ImportError:
        fail("PySpark is not installed: pip install 'cablegram[spark]'")
    err.print(f"{count} event(s) written to {target}" + ("" if no_merge else f", stories to {stories_path(target)}"),
              markup=False)
    for e in errors:
        err.print(f"skipped {e}", markup=False, highlight=False)
    if errors:
        err.print(f"{len(errors)} record(s) skipped", markup=False)
        raise typer.Exit(2)


if __name__ == "__main__":
    app()
