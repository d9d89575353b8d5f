"""Words to search terms: Snowball (Porter2) English stems, the algorithm PostgreSQL's 'english' text search
uses, so DuckDB's term index and PostgreSQL's text search match the same words."""

from __future__ import annotations

import re
import threading
from collections import Counter
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")
# Snowball's English stop list, the one PostgreSQL's 'english' configuration drops: left out of the DuckDB index
# and of queries, so both backends ignore the same words.
STOP_WORDS = frozenset((
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her "
    "hers herself it its itself they them their theirs themselves what which who whom this that these "
    "those am is are was were be been being have has had having do does did doing a an the and but if or "
    "because as until while of at by for with about against between into through during before after "
    "above below to from up down in out on off over under again further then once here there when where "
    "why how all any both each few more most other some such no nor not only own same so than too very s "
    "t can will just don should now "
).split())
PREFIX_MIN = 3  # a query word this long also finds longer words ("embass" finds "embassy"); shorter ones match whole

_stemmer = snowballstemmer.stemmer("english")
_stem_lock = threading.Lock()  # a Snowball stemmer object keeps state while it works


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word."""
    with _stem_lock:
        return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The lower-case words of `text` that are not stop words."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def term_counts(text: str) -> Counter:
    """How often each stem occurs in `text`: what the DuckDB index stores for one event."""
    return Counter(stem(w) for w in words(text))


def query_terms(text: str) -> list[tuple[str, bool]]:
    """A query's distinct stems, each with whether it matches as a prefix: words of PREFIX_MIN letters or more
    also find longer words, so a word cut short ("embass") finds the whole one ("embassy", stem "embassi")."""
    return list({stem(w): len(w) >= PREFIX_MIN for w in words(text)}.items())
