"""The dated people dictionary: who held which office, for which country, between which dates.

Two tables in data/people/: officials.tsv (heads of state and government, ministers, heads of international
organisations, compiled for the project from public reporting) and phoenix.tsv (derived from the Phoenix
TABARI dictionaries by scripts/build_people.py). A name found in a report is looked up at the report's date;
the officials table wins over Phoenix, and a surname alone counts only when everyone it could name at that
date is of one country.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import gazetteer as gz

PEOPLE = Path(__file__).resolve().parents[1] / "data" / "people"
OFFICIALS_TSV = PEOPLE / "officials.tsv"
PHOENIX_TSV = PEOPLE / "phoenix.tsv"
SOURCES = (("officials", OFFICIALS_TSV), ("phoenix", PHOENIX_TSV))  # in order of preference
OPEN_END = {"officials": "", "phoenix": "2014-12-31"}  # Phoenix was compiled in January 2014: an open end
# there says "still in office then", not "still in office now"
TITLED = frozenset({"king", "queen", "emperor", "prince", "princess", "sultan", "emir", "pope", "grand"})
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi", "vii", "x", "xiv", "xvi"})


class PeopleDataError(ValueError):
    """A row of a people table is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Holder:
    """One person in one position (or nationality) over a span of dates; empty dates are open."""

    name: str
    country: str
    sectors: tuple[str, ...]
    role: str | None
    start: str
    end: str
    source: str

    def valid(self, day: str | None) -> bool:
        """Whether this holds on ISO date `day` (always, when no date is known). Partial dates count whole."""
        if not day:
            return True
        day = day[:10]
        return (not self.start or self.start <= day) and (not self.end or day <= _end_of(self.end))


def _end_of(partial: str) -> str:
    """The last day a partial date can mean: "2019" -> "2019-12-99", "2019-05" -> "2019-05-99"."""
    return partial + "-12-99"[len(partial) - 4:] if len(partial) < 10 else partial


def _surname(name: str) -> str | None:
    """The word a report uses alone for this person, or None for a reigning name ("King Philippe", "Tupou VI")."""
    words = [w for w in gz.fold(name).split() if w not in SUFFIXES]
    return words[-1] if len(words) > 1 and words[0] not in TITLED else None


def read_table(path: Path, source: str) -> list[tuple[Holder, list[str]]]:
    """Rows of a people table with their other spellings; a malformed row raises PeopleDataError."""
    out, header = [], None
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            if len(cols) != len(header):
                raise PeopleDataError(f"{path}:{number}: {len(cols)} columns, expected {len(header)}")
            row = dict(zip(header, cols))
            if not row["name"] or not row["country"]:
                raise PeopleDataError(f"{path}:{number}: a row needs a name and a country")
            holder = Holder(row["name"], row["country"], tuple(s for s in row["sectors"].split(",") if s),
                            row.get("role") or None, row["start"], row["end"] or OPEN_END.get(source, ""), source)
            out.append((holder, [v for v in row["variants"].split("|") if v]))
    return out


class People:
    """Folded full names and surnames -> the Holders they may name."""

    def __init__(self, sources=SOURCES):
        self.full: dict[str, list[Holder]] = defaultdict(list)
        self.surnames: dict[str, list[Holder]] = defaultdict(list)
        listed: set[str] = set()  # full names of people an earlier (preferred) table already dates
        for source, path in sources:
            rows = read_table(path, source)
            known = {gz.fold(s) for h, variants in rows for s in [h.name, *variants] if " " in s}
            for holder, variants in rows:
                spellings = dict.fromkeys([holder.name, *variants])
                if any(gz.fold(s) in listed for s in spellings if " " in s):
                    continue  # the officials table's dates for this person supersede Phoenix's
                for spelling in spellings:
                    self.full[gz.fold(spelling)].append(holder)
                    surname = _surname(spelling)
                    if surname:
                        self.surnames[surname].append(holder)
            listed |= known

    def find(self, name: str, day: str | None = None) -> list[Holder]:
        """Holders whose full name or a listed spelling is `name`, valid on `day`: the officials table's when
        it has any, else Phoenix's."""
        return _preferred([h for h in self.full.get(gz.fold(name), ()) if h.valid(day)])

    def by_surname(self, surname: str, day: str | None = None) -> list[Holder]:
        """Holders, in either table, whose surname or one-word short name is `surname`, valid on `day`."""
        key = gz.fold(surname)
        found = [h for h in self.surnames.get(key, ()) if h.valid(day)]
        return found + [h for h in self.full.get(key, ()) if h.valid(day) and h not in found]

    def identify(self, name: str, day: str | None = None) -> Holder | None:
        """The one person `name` (as written in a report on `day`) designates, or None when no one fits or
        the people who fit are of different countries. A one-word name is a surname and must be unambiguous
        across both tables; a longer name not listed whole may match on its surname when the first names
        agree."""
        words = gz.fold(name).split()
        if len(words) > 1:
            found = self.find(name, day) or _preferred(
                [h for h in self.by_surname(words[-1], day) if gz.fold(h.name).split()[0] == words[0]])
        else:
            found = self.by_surname(name, day) if words else []
        if len({h.country for h in found}) != 1:
            return None
        found = _preferred(found)
        if len({h.name for h in found}) > 1:  # several people of one country: the country is known, not the post
            common = set.intersection(*(set(h.sectors) for h in found))
            return Holder(name, found[0].country, tuple(s for s in found[0].sectors if s in common), None,
                          "", "", found[0].source)
        return max(found, key=lambda h: (bool(h.sectors), h.start))


def _preferred(holders: list[Holder]) -> list[Holder]:
    best = next((source for source, _ in SOURCES if any(h.source == source for h in holders)), None)
    return [h for h in holders if h.source == best]


@lru_cache(maxsize=1)
def load_people() -> People:
    """The process-wide people dictionary (read on first use)."""
    return People()


def identify(name: str, day: str | None = None) -> Holder | None:
    """The one person `name` designates on ISO date `day` (any date when None), from the shared dictionary."""
    return load_people().identify(name, day)
