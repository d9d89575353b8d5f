"""Filter values checked the same way on the command line and in the HTTP API: country and organisation
codes (any case) or names, PLOVER types and YYYY[-MM[-DD]] dates that name a real month or day."""

from __future__ import annotations

import re
from datetime import date

from .models import EVENT_TYPES

_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


class BadFilter(ValueError):
    """A filter value that cannot be used; the message says why and what is accepted."""


def party_code(value: str) -> str:
    """A country's ISO alpha-3 code or an organisation's code for a code in any case ("rus", "UNO") or a
    name ("Russia", "the United Nations"); BadFilter for anything else."""
    from .gazetteer import code_name, country_by_name, igo_code

    cleaned = " ".join(value.split())
    if code_name(cleaned.upper()):
        return cleaned.upper()
    found = country_by_name(cleaned) or igo_code(cleaned)
    if found:
        return found
    raise BadFilter(f"{value[:60]!r} is not a country or organisation code or name (e.g. RUS, rus, Russia, UNO)")


def event_type(value: str) -> str:
    """A PLOVER event type in any case; BadFilter for anything else."""
    if value.upper() in EVENT_TYPES:
        return value.upper()
    raise BadFilter(f"{value[:60]!r} is not a PLOVER event type ({', '.join(EVENT_TYPES)})")


def date_bound(value: str) -> str:
    """A YYYY, YYYY-MM or YYYY-MM-DD value naming a real year, month or day; BadFilter for anything else
    (2025-13, 2025-02-30, 25-1-1)."""
    if not _DATE.match(value):
        raise BadFilter(f"{value[:60]!r} is not a date of the form YYYY[-MM[-DD]]")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(*parts[:3])
    except ValueError:
        raise BadFilter(f"{value!r} is not a real date (YYYY[-MM[-DD]])") from None
    return value
