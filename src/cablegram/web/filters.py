"""Query-string filters shared by the JSON API and the search page, validated before they reach the store."""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from ..filter_values import BadFilter, party_code
from ..models import EVENT_TYPES, QUAD
from ..store import EventFilter

CODE = r"^[A-Za-z0-9]{2,10}$"  # ISO alpha-3 or an IGO code (UNO, EUR, NATO, G20, ...)
OPTIONAL_CODE = r"^([A-Za-z0-9]{2,10})?$"
TYPE = "^(?i:|" + "|".join(EVENT_TYPES) + ")$"
QUADS = tuple(dict.fromkeys(QUAD.values()))
QUAD_PATTERN = "^(|" + "|".join(QUADS) + ")$"
DATE = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"
MAX_LIMIT = 500  # page size at most, on every paged route
MAX_OFFSET = 1_000_000  # page start at most, on every paged route: larger values are refused (422), never sent to SQL


def event_filter(
    actor: Optional[str] = Query(None, pattern=OPTIONAL_CODE, description="Actor country or IGO code, e.g. RUS."),
    recipient: Optional[str] = Query(None, pattern=OPTIONAL_CODE, description="Recipient code, e.g. USA."),
    type: Optional[str] = Query(None, pattern=TYPE, description="PLOVER event type, e.g. CONSULT."),
    quad: Optional[str] = Query(None, pattern=QUAD_PATTERN, description="Quad class, e.g. 'verbal conflict'."),
    since: Optional[str] = Query(None, pattern=DATE, description="Earliest event date, YYYY[-MM[-DD]]."),
    until: Optional[str] = Query(None, pattern=DATE, description="Latest event date, YYYY[-MM[-DD]], inclusive."),
    source: Optional[str] = Query(None, max_length=200, description="Outlet name (any mention), case-insensitive."),
    q: Optional[str] = Query(None, max_length=200, description="Words to search for in the sentences and party "
                             "names, stemmed ('talks' finds 'talk'; a word of 3+ letters also finds longer ones); "
                             "every word must occur; best match first."),
    text: Optional[str] = Query(None, max_length=200, description="The same as q (its older name).",
                                deprecated=True),
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description="Page size."),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Events to skip (page start)."),
    per_report: bool = Query(False, description="Events as coded in each report instead of merged across reports."),
) -> EventFilter:
    """An EventFilter from validated query parameters; empty values (as HTML forms send them) mean no filter."""
    def value(v: Optional[str]) -> Optional[str]:
        return v.strip() or None if v else None

    def upper(v: Optional[str]) -> Optional[str]:
        v = value(v)
        return v.upper() if v else None

    for name, v in (("since", since), ("until", until)):
        check_date(name, value(v))
    return EventFilter(actor=code(actor, "actor"), recipient=code(recipient, "recipient"),
                       event_type=upper(type), quad=value(quad),
                       since=value(since), until=value(until), source=value(source), text=value(q) or value(text),
                       limit=limit, offset=offset, merged=not per_report)


def code(value: Optional[str], name: str) -> Optional[str]:
    """A country or organisation code in any case, as the command line takes it (filter_values.party_code);
    a code nobody has is refused (422) rather than answered with an empty list."""
    if not value or not value.strip():
        return None
    try:
        return party_code(value.strip())
    except BadFilter as exc:
        raise RequestValidationError([{"loc": ("query", name), "type": "value_error", "msg": str(exc)}]) from None


def check_date(name: str, value: Optional[str]) -> None:
    """Refuse a YYYY[-MM[-DD]] value that names no real month or day (2025-13, 2025-02-30)."""
    if not value:
        return
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(*parts[:3])
    except ValueError:
        raise RequestValidationError([{"loc": ("query", name), "type": "value_error",
                                       "msg": f"{value!r} is not a real date (YYYY[-MM[-DD]])"}]) from None
