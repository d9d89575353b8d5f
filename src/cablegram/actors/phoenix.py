"""Reads TABARI actor dictionaries (the Phoenix .actors.txt files) into dated person entries.

Used at build time only, by scripts/build_people.py; the run-time code reads the derived data/people/phoenix.tsv.
An entry is a name line (`JACOB_ZUMA_`), `+` lines with other spellings, and `[CODE date]` codes on the name
line or the lines after it. Dates are `>YYMMDD` (from), `<YYMMDD` (until) or `YYMMDD-YYMMDD`; years may
also be written with four digits. A code with no date is the fall-back for other dates and is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

CODE = re.compile(r"\[([^\]]*)\]")
CENTURY_PIVOT = 20  # two-digit years up to this are 20xx: the files were compiled in 2014
IGO_CODES = (("IAE", "IAEA"), ("WHO", "WHO"), ("IMF", "IMF"), ("WBK", "WB"), ("ICC", "ICC"), ("ICJ", "ICJ"),
             ("OPC", "OPEC"), ("WTO", "WTO"), ("NAT", "NATO"), ("ASN", "ASEAN"), ("AFU", "AU"), ("OAU", "AU"),
             ("ARL", "LAS"), ("WAS", "ECOWAS"), ("OIC", "OIC"), ("ITP", "INTERPOL"), ("OAS", "OAS"),
             ("EUR", "EUR"), ("UNO", "UNO"))  # CAMEO's IGO sub-codes -> the gazetteer's codes, specific first
CAMEO_COUNTRY = {"TMP": "TLS", "KSV": "KOS", "ROM": "ROU", "ZAR": "COD"}  # CAMEO codes that are not ISO's
NON_STATE = {"IMG": "REB", "NGO": "SOC"}  # codes the project keeps as parties of their own, with their sector
SECTORS = {"GOV": "GOV", "MIL": "MIL", "REB": "REB", "OPP": "OPP", "PTY": "PTY", "COP": "COP", "JUD": "JUD",
           "SPY": "SPY", "MED": "JRN", "EDU": "EDU", "BUS": "BUS", "LAB": "LAB", "REL": "REL", "REF": "REF",
           "LEG": "LEG", "UAF": "UAF", "CVL": "CVL", "HRI": "SOC", "INS": "REB", "SEP": "REB"}


@dataclass
class PhoenixEntry:
    """One dictionary entry: its name, other spellings, and (code, start, end) for each dated code."""

    name: str
    variants: list[str] = field(default_factory=list)
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Term:
    """A person's country and sectors over a span of dates (None: open)."""

    country: str
    sectors: tuple[str, ...]
    start: str | None
    end: str | None


def clean_name(raw: str) -> str:
    """`JACOB_ZUMA_` -> `Jacob Zuma`."""
    words = raw.replace("_", " ").replace("`", "'").replace('"', "").split()
    return " ".join(w if any(c.islower() for c in w) else w.title() for w in words)


def _day(text: str) -> str | None:
    """A TABARI date (YYMMDD or YYYYMMDD) as ISO, or None when it is not a real date."""
    if not text.isdigit() or len(text) not in (6, 8):
        return None
    if len(text) == 6:
        yy = int(text[:2])
        text = f"{2000 + yy if yy <= CENTURY_PIVOT else 1900 + yy}{text[2:]}"
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def parse_span(text: str) -> tuple[str | None, str | None] | None:
    """`>090509` / `<061231` / `990101-090508` -> (start, end); None when unreadable."""
    if text.startswith(">"):
        start = _day(text[1:])
        return (start, None) if start else None
    if text.startswith("<"):
        end = _day(text[1:])
        return (None, end) if end else None
    first, dash, last = text.partition("-")
    span = _day(first), _day(last)
    return span if dash and all(span) else None


def parse_entries(lines: Iterable[str]) -> Iterator[PhoenixEntry]:
    """Entries of a TABARI .actors file, in order, with only their dated codes."""
    entry = None
    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("+"):
            if entry is not None and "\ufffd" not in line:  # a spelling the file's encoding mangled
                entry.variants.append(clean_name(line[1:]))
            continue
        if not line[0].isspace() and not line.startswith("["):
            if entry is not None:
                yield entry
            entry = PhoenixEntry(clean_name(line.split("[", 1)[0]))
        if entry is None:
            continue
        for code in CODE.findall(line):
            parts = code.split()
            if len(parts) == 2 and (span := parse_span(parts[1])):
                entry.codes.append((parts[0], *span))
    if entry is not None:
        yield entry


def read_code(code: str, countries: set[str]) -> tuple[str, tuple[str, ...]] | None:
    """A CAMEO code (`ZAFGOV`, `IGOWSTNAT`, `IMGMUSALQ`) -> (country or organisation code, sectors)."""
    head, rest = code[:3], code[3:]
    chunks = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    if head == "IGO":
        org = next((ours for cameo, ours in IGO_CODES if cameo in chunks), None)
        return (org, ("IGO",)) if org else None
    if head in NON_STATE:
        return head, (NON_STATE[head],)
    country = CAMEO_COUNTRY.get(head, head)
    if country not in countries:
        return None  # regions, dissolved states, multinational firms
    return country, tuple(dict.fromkeys(SECTORS[c] for c in chunks if c in SECTORS))


def terms(entry: PhoenixEntry, countries: set[str]) -> list[Term]:
    """The entry's dated codes that name a country or organisation the project codes."""
    out = []
    for code, start, end in entry.codes:
        read = read_code(code, countries)
        if read is not None:
            out.append(Term(read[0], read[1], start, end))
    return list(dict.fromkeys(out))
