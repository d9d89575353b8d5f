"""Offset-preserving clean-up of news text: quotes, spacing and lower-case place names on a working copy.

The original text is never touched; `Normalized.to_original` maps any span of the clean copy back to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

QUOTES = {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
          "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'"}
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Lower-case place names that are also everyday English words or given names: never capitalised.
NOT_PLACES = frozenset("""
aba ajax archway austin bade bata bath batman bender bida billings bimbo bole brent brits buffalo carnot carrefour
chandler charlotte chunga columbia commonwealth concord cork corona cypress darwin delta derby edison elizabeth
enterprise erode eugene florence ganja gao garland george gilbert gresham guinea hamilton harrow ho hollywood hub
independence iwo jackson kennedy kent lancaster lander lincoln lira male man mango mary mascara mesa metro midland
milton mobile moro nada naga nancy newton nice norman oral orange paradise pare perm pest providence queens reading
regina richardson saga saki sale samba sari serra shaping simmering slough soledad split surprise tours turkey tyler
van victoria vista warder warren windsor winston charleston barking springs woodlands san mage ann aurora
concordia americana chinatown kira yao chu pali kara sakura
""".split())
BIG_CITY = 5_000_000  # cities this large are capitalised even when their name is also an English word
URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
PUNCT_SPACE = re.compile(r"[,;:](?=[A-Za-z])|\.(?=[A-Z])")
WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


@dataclass
class Normalized:
    """The clean copy and, for each of its characters, the span of the original it came from.

    `offsets[i]` is where character i starts in the original (plus one final entry: the original's length);
    `ends[i]` is where it ends. An inserted character has an empty span.
    """

    text: str
    offsets: list[int]
    ends: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map [start, end) of the clean text to the matching [start, end) of the original text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside 0..{len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.ends[end - 1]


class _Edits:
    """Pieces of a new text, each tied to the original span it replaces."""

    def __init__(self, source: Normalized):
        self.source = source
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.pos = 0  # next unconsumed index of the source text

    def copy_to(self, i: int) -> None:
        """Keep the source unchanged up to index `i`."""
        src = self.source
        self.parts.append(src.text[self.pos:i])
        self.starts.extend(src.offsets[self.pos:i])
        self.ends.extend(src.ends[self.pos:i])
        self.pos = i

    def replace(self, i: int, j: int, new: str) -> None:
        """Replace source[i:j] by `new`; equal lengths map character to character, else all to the whole span."""
        self.copy_to(i)
        src = self.source
        if not new and j > i and self.ends:  # a deletion widens the character before it
            self.ends[-1] = src.ends[j - 1]
        elif len(new) == j - i:
            self.starts.extend(src.offsets[i:j])
            self.ends.extend(src.ends[i:j])
        else:
            lo = src.offsets[i]
            hi = src.ends[j - 1] if j > i else lo
            self.starts.extend([lo] * len(new))
            self.ends.extend([hi] * len(new))
        self.parts.append(new)
        self.pos = j

    def done(self) -> Normalized:
        """The edited text, mapped to the original through the source's own map."""
        self.copy_to(len(self.source.text))
        return Normalized("".join(self.parts), self.starts + [self.source.offsets[-1]], self.ends)


def _identity(text: str) -> Normalized:
    return Normalized(text, list(range(len(text) + 1)), list(range(1, len(text) + 1)))


_SPECIAL = re.compile("[" + re.escape("".join(QUOTES) + "".join(ZERO_WIDTH)) + r"\x00-\x1f\x7f-\x9f]|[^\S\n ]")


def _characters(norm: Normalized) -> Normalized:
    """Curly quotes and apostrophes to ASCII; odd spaces and control characters to spaces; drop zero-widths
    inside words (elsewhere they become spaces)."""
    ed = _Edits(norm)
    for m in _SPECIAL.finditer(norm.text):
        i, ch = m.start(), m.group()
        if ch in QUOTES:
            ed.replace(i, i + 1, QUOTES[ch])
        elif ch in ZERO_WIDTH:
            inside = 0 < i < len(norm.text) - 1 and norm.text[i - 1].isalnum() and norm.text[i + 1].isalnum()
            ed.replace(i, i + 1, "" if inside and ed.starts else " ")
        elif ch not in "\n" and (ch.isspace() or (ord(ch) < 32 or 127 <= ord(ch) < 160)) and ch != " ":
            ed.replace(i, i + 1, " ")
    return ed.done()


def _spaces(norm: Normalized) -> Normalized:
    """Collapse runs of spaces within a line to one space."""
    ed = _Edits(norm)
    for m in re.finditer(r" {2,}", norm.text):
        ed.replace(m.start(), m.end(), " ")
    return ed.done()


def _missing_spaces(norm: Normalized) -> Normalized:
    """Insert the space missing after , ; : before a letter, and after a full stop before a capital."""
    text = norm.text
    protected = [m.span() for m in URLISH.finditer(text)]
    ed = _Edits(norm)
    for m in PUNCT_SPACE.finditer(text):
        i = m.start()
        if any(a <= i < b for a, b in protected):
            continue
        if text[i] == "." and not _sentence_stop(text, i):
            continue
        ed.copy_to(i + 1)
        ed.replace(i + 1, i + 1, " ")
    return ed.done()


def _sentence_stop(text: str, i: int) -> bool:
    """A full stop that ends a word of two or more letters (not "U.S.", "a.m.", "No.5")."""
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:i]
    return len(word) >= 2 and (j == 0 or text[j - 1] != ".") and any(c.islower() for c in word)


@lru_cache(maxsize=1)
def _capitalisable() -> dict[str, str]:
    """Lower-case place name -> its capitalised form, for names worth capitalising in running text."""
    from .gazetteer import gazetteer
    from .nlp import load_spacy

    g = gazetteer()
    nlp = load_spacy()
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    noun = nlp.vocab.strings["noun"]
    common = set()
    for pos in index:
        if pos != noun:
            common.update(index[pos])
    out = {}
    for key in g.country_names.keys() | g.capitals.keys() | g.big_places:
        if not key.isascii() or not re.fullmatch(r"[a-z]+(?:[ '-][a-z]+)*", key) or key in NOT_PLACES:
            continue
        p = g.places.get(key)
        if key in common and not (p and p.population >= BIG_CITY) and key not in g.capitals:
            continue
        if key in nlp.Defaults.stop_words or len(key) < 3:
            continue
        out[key] = _cased(key, p.name if p else None)
    return out


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """The words capitalisable names start with: any other word cannot start one."""
    return frozenset(WORD.match(key).group() for key in _capitalisable())


def _cased(key: str, canonical: str | None) -> str:
    """`key` with the capitals of the gazetteer's spelling, or title case when the spellings differ."""
    if canonical and canonical.lower() == key:
        return canonical
    small = {"of", "and", "the", "de", "la", "al", "el", "au", "du", "es"}
    words = re.split(r"([ -])", key)
    return "".join(w if (w in small and k) else w[:1].upper() + w[1:] for k, w in enumerate(words))


def _place_case(norm: Normalized) -> Normalized:
    """Capitalise lower-case place names standing as whole words ("in moscow" -> "in Moscow")."""
    names = _capitalisable()
    firsts = _first_words()
    text = norm.text
    words = [m for m in WORD.finditer(text)]
    ed = _Edits(norm)
    k = 0
    while k < len(words):
        if words[k].group() not in firsts:
            k += 1
            continue
        for n in (3, 2, 1):
            if k + n > len(words):
                continue
            a, b = words[k].start(), words[k + n - 1].end()
            key = text[a:b]  # a name's words are one space apart, so only n words one space apart can equal it
            if key in names and key.count(" ") == n - 1 and _free_standing(text, a, b):
                ed.replace(a, b, names[key])
                k += n
                break
        else:
            k += 1
    return ed.done()


def _free_standing(text: str, a: int, b: int) -> bool:
    """Not part of a larger token such as a URL, an e-mail or a mixed-case word."""
    before = text[a - 1] if a > 0 else " "
    after = text[b] if b < len(text) else " "
    if before.isalnum() or after.isalnum() or before in "./@_" or before == "-" and a > 1 and text[a - 2].isalpha():
        return False
    return not (after in "./@_" and b + 1 < len(text) and text[b + 1].isalnum())


def normalize(text: str) -> Normalized:
    """Clean a copy of `text` for parsing: ASCII quotes, single spaces, missing spaces, capitalised places."""
    norm = _identity(text)
    for step in (_characters, _spaces, _missing_spaces, _place_case):
        norm = step(norm)
    return norm
