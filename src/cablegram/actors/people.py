"""The dated people dictionary: who held which office, for which country, between which dates.

Two tables in data/people/: officials.tsv (heads of state and government, ministers, heads of international
organisations, compiled for the project from public reporting) and phoenix.tsv (derived from the Phoenix
TABARI dictionaries by scripts/build_people.py). A name found in a report is looked up at the report's date;
the officials table wins over Phoenix, and a surname alone counts only when one person fits it at that date.
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


def _surname(name: str) -> str:
    return gz.fold(name).split()[-1]


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
                            row.get("role") or None, row["start"], row["end"], source)
            out.append((holder, [v for v in row["variants"].split("|") if v]))
    return out


class People:
    """Folded full names and surnames -> the Holders they may name."""

    def __init__(self, sources=SOURCES):
        self.full: dict[str, list[Holder]] = defaultdict(list)
        self.surnames: dict[str, list[Holder]] = defaultdict(list)
        for source, path in sources:
            for holder, variants in read_table(path, source):
                for spelling in dict.fromkeys([holder.name, *variants]):
                    self.full[gz.fold(spelling)].append(holder)
                    if " " in spelling:
                        self.surnames[_surname(spelling)].append(holder)

    def find(self, name: str, day: str | None = None) -> list[Holder]:
        """Holders whose full name or a listed spelling is `name`, valid on `day`: the officials table's when
        it has any, else Phoenix's."""
        return _preferred([h for h in self.full.get(gz.fold(name), ()) if h.valid(day)])

    def by_surname(self, surname: str, day: str | None = None) -> list[Holder]:
        """Holders whose surname is `surname`, valid on `day` (officials' when it has any)."""
        return _preferred([h for h in self.surnames.get(gz.fold(surname), ()) if h.valid(day)])

    def identify(self, name: str, day: str | None = None) -> Holder | None:
        """The one person `name` (as written in a report on `day`) designates, or None when no one or several
        people fit. A one-word name is a surname; a longer one not listed whole may match on its surname
        when the first names agree."""
        found = self.find(name, day)
        words = gz.fold(name).split()
        if not found and words:
            found = [h for h in self.by_surname(words[-1], day)
                     if len(words) == 1 or gz.fold(h.name).split()[0] == words[0]]
        return _one_person(found)


def _preferred(holders: list[Holder]) -> list[Holder]:
    best = next((source for source, _ in SOURCES if any(h.source == source for h in holders)), None)
    return [h for h in holders if h.source == best]


def _one_person(holders: list[Holder]) -> Holder | None:
    """The latest-starting position of the only person among `holders`; None when they are several people."""
    if len({(h.name, h.country) for h in holders}) != 1:
        return None
    return max(holders, key=lambda h: (bool(h.sectors), h.start))


@lru_cache(maxsize=1)
def load_people() -> People:
    """The process-wide people dictionary (read on first use)."""
    return People()


def identify(name: str, day: str | None = None) -> Holder | None:
    """The one person `name` designates on ISO date `day` (any date when None), from the shared dictionary."""
    return load_people().identify(name, day)
