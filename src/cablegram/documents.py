"""Readers: news reports from text, JSONL, JSON, HTML, RSS/Atom and Parquet files into `Document` records.

A record that cannot be read is yielded as `Skipped(origin, reason)` and reading goes on, so
nothing is dropped silently. Plain text heads (headline, metadata lines, dateline) and
attribution lines are read into fields; the text itself is never modified.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from cablegram.dates import find_dates, iso_date, place_day, read_date, text_reference_date, yearless_day
from cablegram.models import Document, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
RECORD_FIELDS = ("title", "source", "url", "original_source")

# Limits (docs/storage.md, "Input limits"): past them a record is reported and skipped, never half-read.
MAX_FILE_BYTES = 10 * 1024 * 1024  # a text, JSON, HTML or feed file is read whole: at most 10 MiB
MAX_LINE_BYTES = 8 * 1024 * 1024  # one JSONL line (a record, escapes included); JSONL and Parquet files may be any size
MAX_TEXT_CHARS = 2 * 1024 * 1024  # one report's text (~300,000 words), coded in pieces (pieces.py)
ENGLISH_MIN_WORDS = 25  # shorter texts are too short to judge their language
ENGLISH_MIN_SHARE = 0.12  # English news runs at 0.25-0.45 function words; French, German, Spanish under 0.07
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a an is was were for on that with by said as at from it has have had be been are will its "
    "this not but he she they their his her which who would after about over".split())


class _Unreadable(Exception):
    """Raised inside a reader when the bytes cannot become text; the message is the reason reported."""


# ---------------------------------------------------------------- entry point

def iter_documents(paths: Iterable[str | Path], date: dt.date | None = None) -> Iterator[Document | Skipped]:
    """Read every path (file, directory, "-" for standard input, or an http(s) URL of a page or feed) and yield
    documents or skip reports.

    Ids are unique over the whole run: a second record with an id already seen is reported as skipped.
    `date` (the command line's --date) dates the reports that give no full date of their own (`infer_date`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen: dict[str, str] = {}
    urls = None  # one HTTP client for every URL of the run, so requests to a host are paced together
    try:
        for item in paths:
            if is_url(str(item)):
                if urls is None:
                    from .live.remote import UrlReader

                    urls = UrlReader()
                records = urls.read(str(item))
            else:
                records = _read_path(item)
            yield from _unique(records, seen, date)
    finally:
        if urls is not None:
            urls.close()


def is_url(item: str) -> bool:
    """Whether a command-line input names a web page or feed (http:// or https://) rather than a file."""
    return item[:8].lower().startswith(("http://", "https://"))


def _unique(records: Iterable[Document | Skipped], seen: dict[str, str],
            date: dt.date | None = None) -> Iterator[Document | Skipped]:
    """The records, with a document whose id was already read in this run reported as skipped; a report
    short of a full date takes `date` (see infer_date)."""
    for record in records:
        if isinstance(record, Document):
            if date is not None and (record.date_note or record.published is None):
                infer_date(record, date)
            if record.id in seen:
                yield Skipped(record.origin or record.id,
                              f"duplicate id {record.id} (first read from {seen[record.id]})")
                continue
            seen[record.id] = record.origin or record.id
        yield record


def _unusable(doc: Document) -> str | None:
    """Why a read document cannot be coded or stored, or None: NUL or unpaired surrogates, not English."""
    for name in ("id", "text", "title", "source", "original_source", "url"):
        value = getattr(doc, name)
        if value is None:
            continue
        if "\0" in value:
            return f"field {name} contains a NUL character"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"field {name} contains an unpaired surrogate (\\u{ord(value[exc.start]):04x}) at {exc.start}"
    words = re.findall(r"[^\W\d_]+", doc.text[doc.body_start:doc.body_start + 5000])
    if len(words) >= ENGLISH_MIN_WORDS:
        share = sum(w.lower() in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)
        if share < ENGLISH_MIN_SHARE:
            return f"not English ({share:.0%} English function words); cablegram codes English reports only"
    return None


def _read_path(item: str | Path) -> Iterator[Document | Skipped]:
    """Dispatch one command-line argument: stdin, a directory (recursively) or a single file."""
    if str(item) == "-":
        yield from _read_stdin()
        return
    path = Path(item)
    if path.is_dir():
        files = walk_files(path)
        if not files:
            yield Skipped(str(path), "directory holds no files")
        for file in files:
            yield from _read_file(file)
    elif path.exists():
        yield from _read_file(path)
    else:
        yield Skipped(str(path), "no such file or directory")


def walk_files(root: Path) -> list[Path]:
    """All non-hidden files under `root`, in sorted path order."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        files.extend(Path(dirpath, f) for f in filenames if not f.startswith("."))
    return sorted(files, key=lambda p: p.relative_to(root).parts)


def _read_file(path: Path) -> Iterator[Document | Skipped]:
    """Read one file with the reader its extension calls for; I/O failures become skip reports."""
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        yield Skipped(str(path), f"unsupported file type {suffix!r}")
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and reader not in _STREAMING_READERS:
            yield Skipped(str(path), f"file too large ({size / 2**20:.1f} MiB; the limit for {suffix or 'text'} "
                                     f"files is {MAX_FILE_BYTES / 2**20:.0f} MiB)")
            return
        yield from reader(path)
    except OSError as exc:
        yield Skipped(str(path), f"cannot read file: {exc.strerror or exc}")


# ---------------------------------------------------------------- bytes to text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _bom_encoding(head: bytes) -> tuple[str, str] | None:
    """The (codec, display name) a byte-order mark announces, if any."""
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return codec, name
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit on one side of nearly every byte pair, as in ASCII-range UTF-16."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd >= 0.9 * pairs and even <= 0.1 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd <= 0.1 * pairs:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> str:
    """Bytes to text: honour a BOM (UTF-8/16/32), recognise BOM-less UTF-16, else strict UTF-8.

    Anything else with NUL bytes is refused as binary, with a clear reason.
    """
    found = _bom_encoding(data[:4])
    if found is None and (utf16 := _utf16_without_bom(data[:4096])):
        found = (utf16, "UTF-16")
    codec, name = found or ("utf-8", "UTF-8")
    if found is None and b"\0" in data[:8192]:
        raise _Unreadable("binary file (contains NUL bytes)")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Unreadable(f"cannot decode as {name} (invalid byte 0x{data[exc.start]:02x} "
                          f"at offset {exc.start})") from None


# ---------------------------------------------------------------- readers

def _read_text_file(path: Path) -> Iterator[Document | Skipped]:
    """A plain text report: id is the file name without extension."""
    try:
        text = _decode(path.read_bytes())
    except _Unreadable as exc:
        yield Skipped(str(path), str(exc))
        return
    if not text.strip():
        yield Skipped(str(path), "empty file")
        return
    yield _document(text, path.stem, origin=str(path))


def _read_jsonl_file(path: Path) -> Iterator[Document | Skipped]:
    """One JSON record per line, streamed so memory stays flat on large files."""
    with path.open("rb") as fh:
        found = _bom_encoding(fh.read(4))
        fh.seek(0)
        if found and found[0] != "utf-8-sig":
            try:
                lines = _decode(fh.read()).splitlines()
            except _Unreadable as exc:
                yield Skipped(str(path), str(exc))
                return
        else:
            lines = _bounded_lines(fh)
        yield from _records_from_lines(lines, str(path), path.stem)


def _bounded_lines(fh) -> Iterator[bytes | None]:
    """The lines of a binary file; None stands for a line longer than MAX_LINE_BYTES, which is skipped unread."""
    while line := fh.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _records_from_lines(lines: Iterable[bytes | str | None], origin: str, stem: str) -> Iterator[Document | Skipped]:
    """Parse JSONL lines (bytes or text; None for an over-long line); each bad line is reported with its number."""
    empty = True
    for lineno, raw in enumerate(lines, 1):
        where = f"{origin}:{lineno}"
        if raw is None or len(raw) > MAX_LINE_BYTES:
            yield Skipped(where, f"line longer than {MAX_LINE_BYTES:,} bytes")
            empty = False
            continue
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Skipped(where, f"cannot decode as UTF-8 (invalid byte 0x{raw[exc.start]:02x})")
                empty = False
                continue
        line = raw.lstrip("\ufeff") if lineno == 1 else raw
        if not line.strip():
            continue
        empty = False
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"JSON error at line {lineno}, column {exc.colno}: {exc.msg}")
            continue
        yield _from_record(record, where, f"{stem}-{lineno}")
    if empty:
        yield Skipped(origin, "empty file")


def _read_json_file(path: Path) -> Iterator[Document | Skipped]:
    """A JSON file holding one record (an object) or a list of records."""
    try:
        text = _decode(path.read_bytes())
    except _Unreadable as exc:
        yield Skipped(str(path), str(exc))
        return
    if not text.strip():
        yield Skipped(str(path), "empty file")
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(str(path), f"JSON error at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        return
    if isinstance(data, dict):
        yield _from_record(data, str(path), path.stem)
    elif isinstance(data, list):
        if not data:
            yield Skipped(str(path), "no records (empty list)")
        for n, record in enumerate(data, 1):
            yield _from_record(record, f"{path}:{n}", f"{path.stem}-{n}")
    else:
        yield Skipped(str(path), f"JSON top level is {_json_type(data)}, expected an object or a list")


def _read_parquet_file(path: Path) -> Iterator[Document | Skipped]:
    """Rows of a Parquet file with the same fields as a JSONL record, read in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    row = 0
    try:
        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(batch_size=512):
            for record in batch.to_pylist():
                row += 1
                yield _from_record(record, f"{path}:{row}", f"{path.stem}-{row}")
    except (pa.ArrowException, ValueError) as exc:
        where = f"{path}:{row + 1}" if row else str(path)
        yield Skipped(where, f"cannot read Parquet: {exc}")


def _read_html_file(path: Path) -> Iterator[Document | Skipped]:
    """An article page file: id is the file name without extension."""
    data = path.read_bytes()
    yield document_from_html(data, path.stem, origin=str(path)) if data.strip() else Skipped(str(path), "empty file")


def document_from_html(data: bytes, doc_id: str, *, origin: str, title: str | None = None, url: str | None = None,
                       feed_date: str | None = None) -> Document | Skipped:
    """An article page: trafilatura finds the main text, title, date and site name; fields given by the
    caller (a feed item's title, date and link) win over the page's."""
    import trafilatura

    if not data.strip():
        return Skipped(origin, "empty page")
    try:
        page = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura and lxml raise many types on malformed markup
        return Skipped(origin, f"cannot parse HTML: {exc}")
    if page is None or not (page.text or "").strip():
        return Skipped(origin, "no article text found in the HTML")
    return _document(page.text, doc_id, origin=origin, title=title or page.title,
                     source=page.sitename, url=url or page.url,
                     feed_date=feed_date or iso_date(page.date))


def _read_feed_file(path: Path) -> Iterator[Document | Skipped]:
    """An RSS or Atom feed: one document per entry, text from its content or summary without markup."""
    import feedparser

    parsed = feedparser.parse(path.read_bytes())
    if not parsed.entries:
        reason = f"not a readable feed ({parsed.get('bozo_exception')})" if parsed.bozo else "feed has no entries"
        yield Skipped(str(path), reason)
        return
    feed_title = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        where = f"{path}:{n}"
        content = entry.get("content")
        text = strip_html(content[0].get("value", "") if content else entry.get("summary", ""))
        if not text:
            yield Skipped(where, "missing text")
            continue
        date = (iso_date(entry.get("published") or entry.get("updated"))
                or iso_date(entry.get("published_parsed") or entry.get("updated_parsed")))
        source = (entry.get("source") or {}).get("title") or feed_title
        yield _document(text, entry.get("id") or entry.get("link") or f"{path.stem}-{n}",
                                 origin=where, title=entry.get("title"), url=entry.get("link"),
                                 feed_date=date, source=source)


def _read_stdin() -> Iterator[Document | Skipped]:
    """Standard input: JSONL when every non-blank line starts with "{", else one plain text report."""
    if sys.stdin is None:
        yield Skipped("stdin", "no standard input")
        return
    buffer = getattr(sys.stdin, "buffer", None)
    try:
        text = _decode(buffer.read()) if buffer is not None else sys.stdin.read()
    except _Unreadable as exc:
        yield Skipped("stdin", str(exc))
        return
    lines = text.splitlines()
    filled = [line for line in lines if line.strip()]
    if not filled:
        yield Skipped("stdin", "empty input")
    elif all(line.lstrip("\ufeff \t").startswith("{") for line in filled):
        yield from _records_from_lines(lines, "stdin", "stdin")
    else:
        yield _document(text, "stdin", origin="stdin")


_STREAMING_READERS = frozenset({_read_jsonl_file, _read_parquet_file})
_READERS = {
    **{s: _read_text_file for s in TEXT_SUFFIXES},
    **{s: _read_jsonl_file for s in JSONL_SUFFIXES},
    ".json": _read_json_file,
    ".parquet": _read_parquet_file,
    **{s: _read_html_file for s in HTML_SUFFIXES},
    **{s: _read_feed_file for s in FEED_SUFFIXES},
}


# ---------------------------------------------------------------- records

def _json_type(value: object) -> str:
    """The JSON name of a Python value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", int: "integer", float: "number", list: "array", dict: "object"}.get(
        type(value), type(value).__name__)


def document_from_record(record: object, origin: str, default_id: str) -> Document | Skipped:
    """A record in the JSONL input shape (from a file or an HTTP request) to a Document, or why not."""
    return _from_record(record, origin, default_id)


def _from_record(record: object, origin: str, default_id: str) -> Document | Skipped:
    """A JSON/Parquet record {id, title, date|published, source, url, text, original_source} to a Document."""
    if not isinstance(record, dict):
        return Skipped(origin, f"record is {_json_type(record)}, expected an object")
    text = record.get("text")
    if text is None:
        return Skipped(origin, "missing text")
    if not isinstance(text, str):
        return Skipped(origin, f"wrong type for field text (expected string, got {_json_type(text)})")
    if not text.strip():
        return Skipped(origin, "empty text")
    fields = {}
    for name in RECORD_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return Skipped(origin, f"wrong type for field {name} (expected string, got {_json_type(value)})")
        fields[name] = value.strip() if value and value.strip() else None
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if doc_id is not None and not isinstance(doc_id, str):
        return Skipped(origin, f"wrong type for field id (expected string, got {_json_type(doc_id)})")
    date_field = "date" if record.get("date") is not None else "published"
    date = record.get(date_field)
    if date is not None and not isinstance(date, (str, dt.date)):
        return Skipped(origin, f"wrong type for field {date_field} (expected string, got {_json_type(date)})")
    feed_date, warnings, undated = None, [], None
    if isinstance(date, str) and yearless_day(date):
        undated = ("metadata", yearless_day(date))
    elif date is not None:
        feed_date, problem = read_date(date)
        warnings = [f"field {date_field}: {problem}; coded without it"] if problem else []
    return _document(text, (doc_id or "").strip() or default_id, origin=origin, feed_date=feed_date,
                     warnings=warnings, undated_day=undated, **fields)


# ---------------------------------------------------------------- HTML fragments

class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, with a line break at every block element."""

    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "tr", "table", "section", "article", "figure", "figcaption"})
    SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries): tags removed, entities decoded, one paragraph a line."""
    collector = _TextCollector()
    collector.feed(fragment or "")
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- the head of a plain text report

_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_META_LINE = re.compile(
    r"[ \t]*(?P<key>date|dated|published|pubdate|updated|source|outlet|url|link|title|headline)"
    r"[ \t]*:[ \t]*(?P<value>[^\r\n]*?)[ \t]*(?:\r?\n|$)", re.I)
_META_INLINE_DATE = re.compile(
    r"[ \t]*(?P<key>date|published)[ \t]+"
    r"(?P<value>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?=\s|$)[ \t]*(?:\r?\n)?", re.I)
_META_KEYS = {"date": "feed_date", "dated": "feed_date", "published": "feed_date", "pubdate": "feed_date",
              "updated": "feed_date", "source": "source", "outlet": "source", "url": "url", "link": "url",
              "title": "title", "headline": "title"}
_SMALL_WORDS = frozenset("a an the of on in to for and or but nor at by with from as vs over after before "
                         "despite amid into than via is are was be".split())


def _is_title_like(line: str) -> bool:
    """Most content words capitalised, as in a headline ("Talks Stall Over Embassy Staff")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", line) if w.lower() not in _SMALL_WORDS]
    if len(words) < 2:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _headline(text: str, pos: int) -> tuple[str, int] | None:
    """A headline on the line at `pos`: short, no final period, not a wrapped paragraph; (title, end)."""
    newline = text.find("\n", pos)
    if newline == -1 or not text[newline:].strip():
        return None
    line = text[pos:newline].strip()
    first = line.lstrip("\"'“‘«(")[:1]
    if not first or len(line) > 200 or len(line.split()) > 25 or not (first.isupper() or first.isdigit()):
        return None
    if line.rstrip("\"'”“’‘)]»").endswith((".", ",", ";", ":")) or _parse_dateline(line + " ", 0):
        return None
    if line.split()[-1].lower() in _SMALL_WORDS:
        return None
    following = text[newline + 1:]
    blank_follows = re.match(r"[ \t\r]*\n", following) is not None
    head_follows = (_META_LINE.match(text, newline + 1) or _META_INLINE_DATE.match(text, newline + 1)
                    or _parse_dateline(text, newline + 1)) is not None
    if blank_follows or head_follows or (_is_title_like(line) and not following.lstrip()[:1].islower()):
        return line, newline + 1
    return None


def _same_line(a: str, b: str) -> bool:
    """Whether two strings are the same text up to spacing and case (a known title repeated in the body)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _read_head(text: str, title: str | None) -> tuple[dict, int]:
    """Metadata lines and a headline at the top of the text, in either order: (fields, offset after them).
    A date line with no year gives `undated_day`; one that is no date gives a `warning`."""
    fields: dict = {}
    pos = _BLANK_LINES.match(text).end()
    headline_tried = False
    while pos < len(text):
        m = _META_LINE.match(text, pos) or _META_INLINE_DATE.match(text, pos)
        if m:
            key = _META_KEYS[m["key"].lower()]
            value = m["value"] or None
            if key == "feed_date" and value and yearless_day(value):
                key, value = "undated_day", ("metadata", yearless_day(value))
            elif key == "feed_date" and value:
                value, problem = read_date(value)
                if problem and "warning" not in fields:
                    fields["warning"] = f"metadata line: {problem}; coded without it"
            if fields.get(key) is None:
                fields[key] = value
            pos = _BLANK_LINES.match(text, m.end()).end()
            continue
        if headline_tried:
            break
        headline_tried = True
        known = title or fields.get("title")
        line_end = text.find("\n", pos)
        first_line = text[pos:line_end if line_end != -1 else len(text)]
        if known and _same_line(first_line, known) and line_end != -1:
            pos = _BLANK_LINES.match(text, line_end + 1).end()
            continue
        if known is None:
            found = _headline(text, pos)
            if found:
                fields["title"] = found[0]
                pos = _BLANK_LINES.match(text, found[1]).end()
                continue
        break
    return fields, pos


# ---------------------------------------------------------------- datelines

_MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
               r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_MONTH_ANY = rf"(?i:{_MONTH_WORD})\.?"
_WEEKDAY_WORD = r"(?i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATELINE = re.compile(
    rf"""
    [ \t]*
    (?P<place>[A-Za-z][A-Za-z'’.\-]+(?:[ \t]+[A-Za-z][A-Za-z'’.\-]*){{0,3}}?)
    (?:,[ \t]*(?!{_MONTH_ANY}[ \t]*\d|{_WEEKDAY_WORD})(?P<region>[A-Z][A-Za-z'’.\-]+(?:[ \t]+[A-Z][A-Za-z'’.\-]+){{0,2}}?))?
    (?:,?[ \t]*(?P<date>(?:{_WEEKDAY_WORD},?[ \t]+)?(?:{_MONTH_ANY}[ \t]*\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH_ANY})
        (?:,?[ \t]+\d{{4}})?|{_WEEKDAY_WORD}))?
    (?:[ \t]*[.,:]?[ \t]*(?:/(?P<slash>[A-Za-z][\w&'’.\- ]{{0,30}}?)/|\((?P<paren>[A-Za-z][\w&'’.\- ]{{0,30}}?)\))
        [ \t]*(?P<sep>--|—|–|-|:|\.)?
      |[ \t]*(?P<bare>--|—|–|-|:|\.))
    (?=\s)\s*
    """,
    re.VERBOSE,
)
_PARTICLES = frozenset({"de", "da", "do", "del", "der", "di", "la", "le", "of", "on", "upon", "el", "al"})
# Capitalised kickers that open a report the way a dateline does but name no place.
_KICKERS = frozenset({"breaking", "update", "updated", "exclusive", "analysis", "opinion", "editorial", "watch",
                      "factbox", "explainer", "correction", "live", "urgent", "flash", "comment", "interview"})


def _title_case(place: str) -> str:
    """'WASHINGTON' -> 'Washington', 'RIO DE JANEIRO' -> 'Rio de Janeiro'; mixed-case names are kept."""
    if not (place.isupper() or place.islower()):
        return place
    words = []
    for i, word in enumerate(place.split()):
        lowered = word.lower()
        if i and lowered in _PARTICLES:
            words.append(lowered)
        else:
            words.append(re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), lowered))
    return " ".join(words)


def _parse_dateline(text: str, pos: int) -> dict | None:
    """A dateline at `pos` ("MOSCOW, March 3 (Reuters) -"): place, outlet, raw date text and body offset."""
    m = _DATELINE.match(text, pos)
    if m is None:
        return None
    outlet = (m["slash"] or m["paren"] or "").strip() or None
    place = m["place"].strip()
    if len(re.sub(r"[^A-Za-z]", "", place)) < 2 or place.split()[0].lower() in _KICKERS:
        return None
    if not outlet and not m["date"] and m["bare"] == ".":
        return None
    if not outlet and not place.split()[0].isupper():
        return None
    if place[0].islower() and not (outlet and m["date"]):  # a lower-cased place needs both outlet and date
        return None
    return {"place": _title_case(place), "outlet": outlet, "date": m["date"], "end": m.end()}


def _dateline_date(raw: str, reference: str | None) -> str | None:
    """Resolve a dateline's date to a full date: its own year, else (a month and day, or a weekday) the day
    nearest the report's metadata date `reference`; None when it has no year and there is no reference."""
    cleaned = re.sub(r"(?<=[A-Za-z])\.", "", raw)
    if re.search(r"\d{4}", cleaned):
        return iso_date(cleaned)
    if reference is None:
        return None
    if not re.search(r"\d", cleaned):
        found = find_dates(f"on {cleaned}", reference)
        return found[0][0] if found else None
    return place_day(cleaned, dt.date.fromisoformat(reference), nearest=True)


def _latest_stated(text: str) -> str | None:
    """The latest year and month (or day) written out in full in the text, as a day (mid-month for a month)."""
    dates = [d for d, *_ in find_dates(text, None) if len(d) >= 7]
    if not dates:
        return None
    latest = max(dates)
    return latest if len(latest) == 10 else f"{latest}-15"


def infer_date(doc: Document, given: dt.date | None = None, today: dt.date | None = None) -> Document:
    """Give a report with no full date of its own one to resolve against, and say how in `date_note`.

    A month and day with no year (dateline or metadata) takes the year of `given` (the --date option), else
    the year nearest the latest date the text writes out in full, else the most recent such day not after
    today. A report with no date at all takes `given`, else the latest full day its text states (not after
    today), else stays undated.
    """
    today = today or dt.date.today()
    if doc.undated_day:
        where, words = doc.undated_day
        stated = _latest_stated(doc.text)
        if given is not None:
            day, how = place_day(words, dt.date(given.year, 12, 31)), f"the year of --date {given.isoformat()}"
            how_to_change = ""
        elif stated:
            day, how = place_day(words, dt.date.fromisoformat(stated), nearest=True), "the year nearest the dates the text states"
            how_to_change = " (set --date to change it)"
        else:
            day, how = place_day(words, today), "the most recent such day not after today"
            how_to_change = " (set --date to change it)"
        if day:
            setattr(doc, "dateline_date" if where == "dateline" else "feed_date", day)
            doc.date_note = f"the {where} date {words!r} has no year: assumed {day}, {how}{how_to_change}"
    elif not (doc.dateline_date or doc.feed_date):
        if given is not None:
            doc.reference_date = given.isoformat()
            doc.date_note = f"no publication date: assumed {doc.reference_date}, from --date"
        elif (day := text_reference_date(doc.text[doc.body_start:], today)):
            doc.reference_date = day
            doc.date_note = (f"no publication date: assumed {day}, the latest full date the text states, for "
                             "sentences with no date of their own (set --date to change it)")
    return doc


# ---------------------------------------------------------------- attribution

_WORD = r"[A-Z][\w&'’\-]{0,40}(?:\.[A-Z]\w{0,10}){0,4}"
_NAME = rf"(?<![\w&'’\-])(?:[Tt]he\s+)?{_WORD}(?:\s+(?:(?:of|de|al|für)\s+)?{_WORD}){{0,4}}"
_ORIGINAL = re.compile(
    rf"\b(?i:originally|first|initially)\s+(?i:published|appeared|aired|ran|printed|reported)\s+(?i:by|in|on)\s+"
    rf"(?P<orig>{_NAME})"
    rf"|\b(?i:reprinted|republished|reproduced|used)\s+(?i:with\s+(?:the\s+)?permission\s+(?:from|of))\s+"
    rf"(?P<perm>{_NAME})")
_PUBLISHER = re.compile(
    rf"\b(?i:translated|edited|adapted|republished|condensed)(?i:\s*/\s*edited|\s+and\s+edited)?\s+(?i:by)\s+"
    rf"(?P<src>{_NAME})")
_REPORTING = re.compile(rf"\(\s*(?i:with\s+(?:additional\s+)?reporting\s+(?:by|from))\s+(?P<orig>{_NAME})")
_ACCORDING = re.compile(
    rf"(?P<orig>{_NAME})\s+(?i:reported|said|wrote|stated|cited\s+\w+(?:\s+\w+)?)\b[^.;\n]{{0,80}}?,?\s+"
    rf"(?i:according\s+to)\s+(?P<src>{_NAME})")
_SOURCE_LINE = re.compile(rf"^[ \t(]*(?i:source|sources|via)[ \t]*:[ \t]*(?P<src>{_NAME})[ \t.)]*$", re.M)
_MEDIA_WORDS = frozenset(
    "news agency press times post journal herald tribune gazette telegraph daily weekly media radio tv "
    "television broadcasting network channel review observer guardian wire newspaper magazine".split())
_OUTLETS = frozenset({
    "reuters", "afp", "ap", "associated press", "agence france-presse", "tass", "ria novosti", "interfax",
    "sputnik", "rt", "kommersant", "izvestia", "vedomosti", "xinhua", "cgtn", "global times", "kyodo",
    "yonhap", "kcna", "irna", "anadolu", "al jazeera", "al arabiya", "bbc", "cnn", "bloomberg", "dpa",
    "efe", "ansa", "pti", "ukrinform", "unian", "politico", "axios"})


def _is_outlet(name: str) -> bool:
    """Whether a name looks like a news outlet: a known agency, a media word, or a short acronym."""
    words = re.findall(r"[\w'’\-]+", name.lower())
    return (name.lower() in _OUTLETS or any(w in _MEDIA_WORDS for w in words)
            or re.fullmatch(r"[A-Z]{2,6}", name) is not None)


def _clean_name(name: str) -> str:
    """Strip a leading article and trailing punctuation from a matched outlet name."""
    return re.sub(r"^[Tt]he\s+", "", name).rstrip(".,;:’'\" ")


def _attribution(text: str, source: str | None, original: str | None) -> tuple[str | None, str | None]:
    """Fill (source, original_source) from attribution wordings, never overwriting a value already known.

    Explicit wordings ("originally published by X and translated by Y") come first; the last one
    wins, as attributions usually close a report.
    """
    said_source = said_original = None
    for m in _ORIGINAL.finditer(text):
        said_original = _clean_name(m["orig"] or m["perm"])
        later = _PUBLISHER.search(text, m.end(), m.end() + 120)
        said_source = _clean_name(later["src"]) if later else said_source
    source = source or said_source
    if original is None and said_original != source:
        original = said_original
    for m in _PUBLISHER.finditer(text):
        if source is None and _is_outlet(_clean_name(m["src"])):
            source = _clean_name(m["src"])
    for m in _REPORTING.finditer(text):
        name = _clean_name(m["orig"])
        if original is None and name != source and _is_outlet(name):
            original = name
    for m in _SOURCE_LINE.finditer(text):
        if source is None:
            source = _clean_name(m["src"])
        elif original is None and _clean_name(m["src"]) != source:
            original = _clean_name(m["src"])
    for m in _ACCORDING.finditer(text):
        src, orig = _clean_name(m["src"]), _clean_name(m["orig"])
        if source is None and _is_outlet(src):
            source = src
        if original is None and orig != source and _is_outlet(orig):
            original = orig
    return source, original


# ---------------------------------------------------------------- assembling a document

def _document(text: str, doc_id: str, *, origin: str | None = None, **fields) -> Document | Skipped:
    """A reader's document, or a skip report saying why it cannot be coded (the length is checked before parsing)."""
    if len(text) > MAX_TEXT_CHARS:
        return Skipped(origin or doc_id, f"text too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})")
    doc = document_from_text(text, doc_id, origin=origin, **fields)
    reason = _unusable(doc)
    return Skipped(origin or doc_id, reason) if reason else doc


def document_from_text(text: str, doc_id: str, *, origin: str | None = None, title: str | None = None,
                       source: str | None = None, url: str | None = None, feed_date: str | None = None,
                       original_source: str | None = None, warnings: list[str] | None = None,
                       undated_day: tuple[str, str] | None = None) -> Document:
    """A Document from a report's text: fields given by the caller win over what the head and dateline say.

    Reads metadata lines, a headline, a dateline ("WASHINGTON, June 11. /TASS/.") and attribution
    lines; `body_start` points past the head so the coder skips it. The text is not modified. A report with
    no full date of its own gets one inferred (`infer_date`).
    """
    head, pos = _read_head(text, title)
    title = title or head.get("title")
    warnings = list(warnings or []) + ([head["warning"]] if head.get("warning") and not feed_date else [])
    undated_day = None if feed_date else undated_day or (None if head.get("feed_date") else head.get("undated_day"))
    feed_date = feed_date or head.get("feed_date")
    source = source or head.get("source")
    url = url or head.get("url")
    dateline = _parse_dateline(text, pos)
    place = dateline_date = None
    if dateline:
        pos = dateline["end"]
        place = dateline["place"]
        if dateline["outlet"]:
            if source is None:
                source = dateline["outlet"]
            elif original_source is None and dateline["outlet"].casefold() != source.casefold():
                original_source = dateline["outlet"]
        if dateline["date"]:
            dateline_date = _dateline_date(dateline["date"], feed_date)
            if dateline_date is None and yearless_day(dateline["date"]):
                undated_day = ("dateline", yearless_day(dateline["date"]))
    source, original_source = _attribution(text, source, original_source)
    return infer_date(Document(
        id=doc_id, text=text, title=title, source=source, original_source=original_source, url=url,
        feed_date=feed_date, dateline_date=dateline_date, dateline_place=place, body_start=pos, origin=origin,
        warnings=warnings, undated_day=undated_day))
