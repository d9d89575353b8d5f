"""Temporal resolution: find the date expressions in a sentence and resolve them against the publication date.

A cheap regular expression finds candidate expressions (month names, weekdays, years after a
preposition, relative words) with exact offsets; dateparser resolves each one with
`RELATIVE_BASE` set to the publication date. Results carry the precision the words allow:
`YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from functools import lru_cache

from dateparser.date import DateDataParser

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"]
# Lower-case spellings are accepted only where they cannot be an ordinary word ("may", "march").
_LOWER_OK = [m.lower() for m in _MONTH_NAMES if m not in ("May", "March")]
_MONTH_FULL = "|".join(_MONTH_NAMES + [m.upper() for m in _MONTH_NAMES] + _LOWER_OK)
_MONTH = rf"(?:(?:{_MONTH_FULL})\b|(?:{'|'.join(_ABBREVIATIONS)})\b\.?)"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = rf"(?i:{'|'.join(_WEEKDAYS)})\b"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?![\d%])(?!-[A-Za-z]|-\d\d-)(?![.,]\d)"
_PREP = r"(?:(?i:on|in|since|until|till|by|from|during|before|after|through|as\s+of|starting|of)\s+)"
_MOD = (r"(?:(?i:early|mid|late|the\s+(?:end|beginning|middle|start)\s+of"
        r"|(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+of)[\s-]+)")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # a count in words ("two days ago")
_COUNT = rf"(?:\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
# Before a bare year: "of" is left out because "a total of 2000" counts things far more often than it dates them.
_YEAR_PREP = r"(?:(?i:in|since|until|till|by|from|during|before|after|through|as\s+of|starting|between)\s+)"
_UNIT = r"(?:day|week|month|year)s?"

_CANDIDATES = re.compile(
    rf"""
    (?P<iso>\b{_PREP}?\d{{4}}-[01]\d-[0-3]\d\b)
    |(?P<day>\b{_PREP}?(?:{_WEEKDAY},?\s+)?(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s*{_DAY})
        (?:,?\s+{_YEAR})?)
    |(?P<monthyear>\b{_PREP}?{_MOD}?{_MONTH},?\s+{_YEAR})
    |(?P<month>\b(?:{_PREP}{_MOD}?|{_MOD}|(?i:last|next|this|earlier\s+this|later\s+this)\s+)
        (?:{"|".join(_MONTH_NAMES)})\b)
    |(?P<year>\b(?:{_YEAR_PREP}{_MOD}?|{_MOD}){_YEAR})
    |(?P<weekday>\b(?:(?i:on|last|next|this|late|early)\s+)?{_WEEKDAY}
        (?:\s+(?i:morning|afternoon|evening|night))?)
    |(?P<relative>\b(?i:
        (?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow))
        |yesterday|today|tonight|tomorrow
        |last\s+night|earlier\s+today|later\s+today
        |this\s+(?:morning|afternoon|evening)
        |(?:(?:earlier|later|early|late)\s+)?(?:last|next|this)\s+(?:week|month|year)
        |{_COUNT}\s+{_UNIT}\s+ago
        )\b)
    """,
    re.VERBOSE,
)
_YEAR_IN = re.compile(_YEAR)
_LEAD = re.compile(rf"^(?:{_PREP}|(?i:between)\s+)?{_MOD}?", re.VERBOSE)
_FUTURE = re.compile(
    r"""\b(?i:
        in\s+the\s+(?:near|foreseeable|not\s+too\s+distant|immediate)\s+future
        |in\s+(?:the\s+)?future
        |in\s+the\s+(?:coming|next\s+few|next)\s+(?:days|weeks|months|years|hours)
        |in\s+(?:the\s+)?(?:days|weeks|months|years)\s+(?:ahead|to\s+come)
        |soon(?!\s+(?:after|afterwards|thereafter))|shortly(?!\s+(?:after|before|afterwards|thereafter))
        |(?:later|early|late)\s+(?:this|next)\s+(?:week|month|year)
        |next\s+(?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)
        |tomorrow|upcoming|forthcoming
        |in\s+\w+\s+(?:days|weeks|months|years)(?:'|’)?\s+time
        )\b""",
    re.VERBOSE,
)
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")
NEAR_FUTURE_DAYS = 31


@lru_cache(maxsize=256)
def _parser(base: dt.date | None, prefer: str) -> DateDataParser:
    """One dateparser instance per (publication date, preference): building one is the slow part."""
    settings = {"PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": True}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=8192)
def _dateparse(text: str, base: dt.date | None, prefer: str) -> tuple[dt.date, str] | None:
    """dateparser on one normalised expression: (date, period) or None; cached because news repeats itself."""
    data = _parser(base, prefer).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _as_base(published: str | dt.date | None) -> dt.date | None:
    """The publication date as a `date`, from an ISO string (or anything `iso_date` understands)."""
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    iso = iso_date(published)
    return dt.date.fromisoformat(iso) if iso else None


def _clean(text: str) -> str:
    """Drop prepositions, modifiers, ordinals and abbreviation dots so dateparser sees a bare expression."""
    text = _LEAD.sub("", text.strip())
    text = _ORDINAL.sub(r"\1", text)
    text = re.sub(r"\bthe\s+|\bof\s+", "", text, flags=re.I)
    return re.sub(r"(?<=[A-Za-z])\.", "", text).strip()


def _week_month(day: dt.date) -> str:
    """A week is reported as the month holding most of it (the month of its Thursday)."""
    thursday = day + dt.timedelta(days=3 - day.weekday())
    return thursday.strftime("%Y-%m")


def _format(day: dt.date, period: str) -> str:
    """Render a resolved date with the precision of the words it came from."""
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return day.strftime("%Y-%m")
    if period == "week":
        return _week_month(day)
    return day.isoformat()


def _resolve_weekday(text: str, base: dt.date, prefer: str) -> str:
    """The closest such weekday on or before the publication date (after it when the future is preferred)."""
    lowered = text.lower()
    target = next(i for i, name in enumerate(_WEEKDAYS) if name in lowered)
    back = (base.weekday() - target) % 7
    ahead = (target - base.weekday()) % 7
    if re.search(r"\blast\b", lowered):
        delta = -(back or 7)
    elif re.search(r"\bnext\b", lowered):
        delta = ahead or 7
    elif prefer == "future":
        delta = ahead
    else:
        delta = -back
    return (base + dt.timedelta(days=delta)).isoformat()


def _resolve_month(text: str, base: dt.date, prefer: str) -> str:
    """A month named without a year: this year's, or the nearest one in the preferred direction."""
    lowered = text.lower()
    month = 1 + next(i for i, m in enumerate(_MONTH_NAMES) if m.lower() in lowered)
    if re.search(r"\blast\b", lowered):
        year = base.year if month < base.month else base.year - 1
    elif re.search(r"\bnext\b", lowered):
        year = base.year if month > base.month else base.year + 1
    elif re.search(r"\bthis\b", lowered):
        year = base.year
    elif prefer == "future":
        year = base.year if month >= base.month else base.year + 1
    else:
        year = base.year if month <= base.month else base.year - 1
    return f"{year:04d}-{month:02d}"


def _resolve(kind: str, text: str, base: dt.date | None, prefer: str) -> str | None:
    """Resolve one candidate expression of a known kind; None when it cannot be placed in time.

    `prefer` is "past", "future" or "default". The default reads like "past" except that a year-less
    day a few weeks ahead of publication keeps the publication year ("must leave by April 30").
    """
    direction = "future" if prefer == "future" else "past"
    if kind == "iso":
        return iso_date(_LEAD.sub("", text))
    if kind in ("year", "monthyear") or (kind == "day" and _YEAR_IN.search(text)):
        parsed = _dateparse(_clean(text), None, direction)
        period = {"year": "year", "monthyear": "month"}.get(kind, "day")
        return _format(parsed[0], period) if parsed else None
    if base is None:
        return None
    if kind == "weekday":
        return _resolve_weekday(text, base, direction)
    if kind == "month":
        return _resolve_month(text, base, direction)
    cleaned = re.sub(r"^(?:earlier|later|early|late)\s+", "", _clean(text), flags=re.I)
    if kind == "day" and prefer == "default":
        ahead = _dateparse(cleaned, base, "future")
        if ahead and (ahead[0] - base).days <= NEAR_FUTURE_DAYS:
            return _format(*ahead)
    parsed = _dateparse(cleaned, base, direction)
    return _format(*parsed) if parsed else None


@lru_cache(maxsize=16384)
def _find(sentence: str, base: dt.date | None, prefer: str) -> tuple[tuple[str, str, int, int], ...]:
    """All resolvable date expressions in a sentence, in order; cached per (sentence, base, preference)."""
    found = []
    for m in _CANDIDATES.finditer(sentence):
        kind = m.lastgroup
        text = m.group(kind).strip()
        start = m.start(kind) + (len(m.group(kind)) - len(m.group(kind).lstrip()))
        value = _resolve(kind, text, base, prefer)
        if value:
            found.append((value, text, start, start + len(text)))
    return tuple(found)


def find_dates(sentence: str, published: str | None, prefer: str | None = None) -> list[tuple[str, str, int, int]]:
    """Every date expression in `sentence` as (date, date_text, start, end), resolved against `published`.

    Lets the coder split "on February 27 and April 10" into two events. `prefer` ("past" or "future")
    decides which way a year-less or relative expression is resolved. Left as None it reads as past,
    except that a year-less day up to NEAR_FUTURE_DAYS after publication stays in the publication year:
    news names the year when it means a date almost a year back.
    """
    mode = prefer if prefer in ("past", "future") else "default"
    return list(_find(sentence, _as_base(published), mode))


_ANCHORED = re.compile(
    r"\b(?:(?P<next>the\s+(?:following|next)\s+(?:day|morning|evening)|the\s+day\s+after|a\s+day\s+later)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+(?:day|evening)|the\s+day\s+before|a\s+day\s+(?:earlier|before))"
    r"|(?P<same>the\s+same\s+(?:day|evening|night|morning|afternoon)|(?:earlier|later)\s+(?:that|the\s+same)\s+day"
    r"|that\s+(?:same\s+)?(?:day|evening|night|morning|afternoon)|hours\s+(?:later|earlier)|within\s+hours))\b",
    re.IGNORECASE)
_SHIFT = {"next": 1, "prev": -1, "same": 0}


def first_anchored(sentence: str) -> int | None:
    """Where the sentence first tells a date against an earlier one ("the following day"), if it does."""
    m = _ANCHORED.search(sentence)
    return m.start() if m else None


def anchored_dates(sentence: str, anchor: str | None) -> list[tuple[str, str, int, int]]:
    """Dates told against the last date the report stated ("the following day", "a day earlier", "the same
    evening"), as (date, date_text, start, end). An anchor known only to the month or year keeps that
    precision; without an anchor these words date nothing."""
    if not anchor:
        return []
    out = []
    for m in _ANCHORED.finditer(sentence):
        shift = _SHIFT[m.lastgroup]
        if len(anchor) == 10:
            value = (dt.date.fromisoformat(anchor) + dt.timedelta(days=shift)).isoformat()
        else:
            value = anchor
        out.append((value, m.group(0), m.start(), m.end()))
    return out


def resolve_date(sentence: str, published: str | None, *, prefer: str | None = None) -> tuple[str | None, str | None]:
    """The date the sentence's event most likely refers to, as (date, date_text); (None, None) when it names none."""
    found = find_dates(sentence, published, prefer)
    if not found:
        return None, None
    return found[0][0], found[0][1]


def is_future_reference(text: str) -> bool:
    """True when the text points to an unspecified future time ("in the near future", "soon", "next week")."""
    return _FUTURE.search(text) is not None


_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")


def iso_date(value: object) -> str | None:
    """Normalise a feed or metadata date (ISO, RFC 822, "June 10, 2025", datetime, struct_time) to YYYY-MM-DD.

    The calendar date is kept as written (no conversion to UTC), so a local evening stays on its day.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    m = _ISO_PREFIX.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _iso_with_dateparser(value.strip())


@lru_cache(maxsize=4096)
def _iso_with_dateparser(value: str) -> str | None:
    """The slow path of `iso_date`: dateparser, accepted only when the text names a day."""
    data = _parser(None, "past").get_date_data(value)
    if data.date_obj is None or data.period not in ("day", "time"):
        return None
    return data.date_obj.date().isoformat()


# ---------------------------------------------------------------- report dates: reading, inferring, provenance

_HAS_YEAR = re.compile(r"\b\d{4}\b|\b\d{4}-\d{2}-\d{2}")


def read_date(value: object) -> tuple[str | None, str | None]:
    """A record's or metadata line's date as (YYYY-MM-DD, None), or (None, why it cannot be one).

    A month and day without a year is not read here (it would silently take this year): the caller keeps it
    as a year-less day for `place_day`, and it is recognised by `yearless_day`.
    """
    if isinstance(value, (dt.date, time.struct_time)):
        return iso_date(value), None
    if not isinstance(value, str) or not value.strip():
        return None, "empty date"
    m = _ISO_PREFIX.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), None
        except ValueError as exc:
            return None, f"invalid date {value.strip()[:40]!r}: {exc}"
    day = iso_date(value)
    if day is None:
        return None, f"invalid date {value.strip()[:40]!r}: not a day (expected YYYY-MM-DD or e.g. 'June 10, 2025')"
    return day, None


def yearless_day(value: str) -> str | None:
    """`value` when it names a month and day with no year ("October 17", "Oct. 17", "17 October"), else None."""
    cleaned = value.strip()
    if _HAS_YEAR.search(cleaned) or not re.search(r"\d", cleaned) or len(cleaned) > 40:
        return None
    return cleaned if _dateparse(re.sub(r"(?<=[A-Za-z])\.", "", cleaned), None, "past") else None


def place_day(words: str, reference: dt.date, nearest: bool = False) -> str | None:
    """A month and day without a year as a full date: the most recent such day not after `reference`, or with
    `nearest` the one closest to it in either direction (a report's dateline beside a fuller date)."""
    cleaned = re.sub(r"(?<=[A-Za-z])\.", "", words)
    options = [iso_date(f"{cleaned} {year}") for year in (reference.year - 1, reference.year, reference.year + 1)]
    days = [dt.date.fromisoformat(o) for o in options if o]
    if not nearest:
        days = [d for d in days if d <= reference]
    if not days:
        return None
    return min(days, key=lambda d: abs((d - reference).days)).isoformat()


def text_reference_date(text: str, today: dt.date) -> str | None:
    """The latest full day (with its year) the text states, not after `today`: a report is written after
    the days it tells of, so this is the nearest stand-in for a publication date it does not give."""
    days = [d for d, *_ in find_dates(text, None) if len(d) == 10 and d <= today.isoformat()]
    return max(days) if days else None


DATE_SOURCES = ("text", "report", "dateline", "metadata", "inferred")


def mark_date_sources(doc, events: list) -> list:
    """Set each event's `date_source`: "text" when its own words date it, "report" when another sentence of
    the report does (the date of the meeting round it names), "dateline" or "metadata" when it carries the
    report's date, "inferred" when that date was inferred (`Document.date_note`). A background event (told in
    the pluperfect outside reported speech, or as something done "previously", "years ago") never takes the
    report's date: it keeps the earlier date its sentence states, or none."""
    published = doc.published
    for ev in events:
        if ev.date_text:
            ev.date_source = "text"
        elif ev.date and ev.date == published:
            earlier = _background_date(ev.mentions[0].sentence, published) if ev.status == "occurred" else False
            if earlier is False:
                ev.date_source = doc.date_source
            else:
                ev.date, ev.date_text = earlier or (None, None)
                ev.date_source = "text" if earlier else None
        elif ev.date:
            ev.date_source = "report"
        else:
            ev.date_source = None
    return events


_BACKGROUND = re.compile(
    r"\b(?i:had|'d)\s+(?:(?:not|never|already|long|previously|earlier|also|jointly|first)\s+)*(?:been\s+)?"
    r"[a-z]+(?:ed|en|wn|ne|ught|t)\b"
    r"|\b(?i:previously|formerly|in\s+the\s+past|years?\s+ago|back\s+in|in\s+recent\s+years|at\s+the\s+time"
    r"|since\s+then|long\s+before|decades?\s+ago)\b")


_REPORTED = re.compile(r"\b(?i:said|says|told|added|noted|stated|announced|confirmed|reported|according\s+to)\b")


def _background_date(sentence: str, published: str) -> tuple[str, str] | None | bool:
    """For an event the coder dated by its report: False when the sentence reads as news of the day; else
    the earlier (date, words) the sentence states, or None when it states none (a background event)."""
    earlier = [(d, t) for d, t, *_ in find_dates(sentence, published) if d[:len(published)] < published[:len(d)]]
    cue = _BACKGROUND.search(sentence)
    if cue and cue.group(0).lower().startswith(("had", "'d")) and _REPORTED.search(sentence, 0, cue.start()):
        cue = None  # "said the sides had agreed": reported speech shifts today's news into the pluperfect
    if cue is None:
        return False
    return earlier[0] if earlier else None
