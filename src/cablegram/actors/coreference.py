"""In-document coreference: the people a report names, so that later surnames, role nouns and pronouns
resolve to the person the report introduced."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import ORTH
from spacy.tokens import Doc

from ..models import Party

SUBORDINATE = frozenset({"vice", "deputy", "assistant", "under", "undersecretary"})
ROLE_FAMILIES = ({"ambassador", "envoy", "diplomat", "emissary", "consul", "representative", "negotiator"},
                 {"president", "leader", "head of state"}, {"prime minister", "premier", "leader"},
                 {"spokesman", "spokeswoman", "spokesperson"}, {"senator", "lawmaker", "legislator"})


@dataclass
class Person:
    """A person the document named, with the title it gave them and where they were mentioned."""

    name: str
    role: str | None = None
    country: str | None = None
    sector: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # character offsets in the parsed document

    @property
    def surname(self) -> str:
        """The last word of the name, which later mentions use on its own."""
        return self.name.split()[-1]

    def party(self, text: str) -> Party:
        """This person as the Party that the words `text` name."""
        return Party(text=text, country=self.country, name=self.name, sector=list(self.sector))


class ActorMemory:
    """Per-document memory of the people named so far, in order of first mention."""

    def __init__(self):
        self.persons: list[Person] = []

    def remember(self, person: Person, at: int) -> Person:
        """Add a person, or merge into one already known by the same name (keeping what each mention said)."""
        known = self.by_name(person.name)
        if known is None:
            person.mentions.append(at)
            self.persons.append(person)
            return person
        known.role = known.role or person.role
        known.country = known.country or person.country
        known.sector = known.sector or person.sector
        known.mentions.append(at)
        return known

    def by_name(self, name: str) -> Person | None:
        """The person with this full name or surname (the most recently named on ties)."""
        words = name.split()
        for p in reversed(self.persons):
            if p.name == name or (len(words) == 1 and p.surname == name) or \
                    (len(words) > 1 and p.surname == words[-1] and p.name.split()[0] == words[0]):
                return p
        return None

    def recent(self, before: int, role: str | None = None, country: str | None = None) -> Person | None:
        """The person last mentioned before offset `before` (with a matching role and country if given)."""
        best, best_at = None, -1
        for p in self.persons:
            if role is not None and not role_matches(role, p.role):
                continue
            if country is not None and p.country not in (None, country):
                continue
            earlier = [m for m in p.mentions if m < before]
            at = max(earlier) if earlier else -1
            if best is None or at > best_at:
                best, best_at = p, at
        return best


def role_matches(asked: str, held: str | None) -> bool:
    """Whether a role noun asked for ("the president", "the envoy") fits the title a person held."""
    if held is None:
        return False
    if asked in ("official", "person", "man", "woman"):
        return True
    if held.split()[0] in SUBORDINATE and not asked.startswith(held.split()[0]):
        return False  # "the president" is not the vice president
    if asked == held or held.endswith(" " + asked) or held.startswith(asked + " "):
        return True
    return any(asked in fam and any(h in held.split() or h == held for h in fam) for fam in ROLE_FAMILIES)


def note_later_mentions(doc: Doc, memory: ActorMemory) -> None:
    """Record every later occurrence of a remembered person's surname as a mention of that person."""
    surnames = {doc.vocab.strings.add(p.surname): p for p in memory.persons}
    if not surnames:
        return
    orths = doc.to_array([ORTH])
    for i in np.flatnonzero(np.isin(orths, np.fromiter(surnames, dtype=orths.dtype))).tolist():
        p, idx = surnames[int(orths[i])], doc[i].idx
        if idx not in p.mentions:
            p.mentions.append(idx)
    for p in memory.persons:
        p.mentions.sort()
