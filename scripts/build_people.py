"""Derive data/people/phoenix.tsv from the Phoenix TABARI actor dictionaries (MIT, Open Event Data Alliance).

    .venv/bin/python scripts/build_people.py [../shared/data/phoenix]

Keeps the people with dated codes (name, country or organisation, sectors, start, end, other spellings),
maps CAMEO codes to the gazetteer's (ISO alpha-3, UNO, EUR, NATO, ...), and leaves out entries whose name
the gazetteer already reads as a country, demonym or organisation.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from cablegram import gazetteer as gz
from cablegram.actors.people import PHOENIX_TSV
from cablegram.actors.phoenix import parse_entries, terms

FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
NOT_A_PERSON = re.compile(r"\b(government|ministry|party|army|council|forces?|front|movement|union|agency|"
                          r"committee|commission|republic|kingdom|state|people|national|militia|brigades?|"
                          r"organi[sz]ation|group|office|court|assembly|parliament|police|bank|fund|"
                          r"association|federation|league|alliance|corps|regime|junta|rebels?|the|of)\b", re.I)
HEADER = ("# People from the Phoenix TABARI actor dictionaries (Copyright (c) 2014 Open Event Data Alliance, MIT "
          "licence), derived by scripts/build_people.py.\n# One row per dated code: country is ISO alpha-3 or the "
          "gazetteer's organisation code; dates are ISO, empty = open; variants are separated by |.\n"
          "name\tcountry\tsectors\tstart\tend\tvariants\n")


OFFICE_WORDS = re.compile(r"\b(minister|president|secretary|secretary-general|general|chief|acting|premier|"
                          r"chancellor|governor|ambassador|commander|spokesman|deputy|lord)\b", re.I)


def _is_person(name: str) -> bool:
    """A personal name of two to six words: no office ("Foreign Minister Abdullah"), no organisation or
    place, and not a lone given name ("Hassan"), which would match far too many people."""
    return (2 <= len(name.split()) <= 6 and not NOT_A_PERSON.search(name) and not OFFICE_WORDS.search(name)
            and not gz.country_by_name(name) and not gz.country_by_demonym(name) and not gz.igo_code(name))


def build(folder: Path) -> list[str]:
    """The TSV rows (without header) for every person with at least one dated code."""
    countries = gz.gazetteer().members
    rows = set()
    for name in FILES:
        with open(folder / name, encoding="utf-8", errors="replace") as fh:
            for entry in parse_entries(fh):
                if not _is_person(entry.name):
                    continue
                variants = "|".join(dict.fromkeys(v for v in entry.variants if v != entry.name and _is_person(v)))
                for t in terms(entry, countries):
                    rows.add("\t".join([entry.name, t.country, ",".join(t.sectors), t.start or "", t.end or "",
                                        variants]))
    return sorted(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default="../shared/data/phoenix", type=Path)
    args = ap.parse_args()
    rows = build(args.folder)
    PHOENIX_TSV.parent.mkdir(parents=True, exist_ok=True)
    PHOENIX_TSV.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} rows, {len({r.split(chr(9))[0] for r in rows})} people -> {PHOENIX_TSV}")


if __name__ == "__main__":
    main()
