"""Text views and sparse n-gram features for the event-type classifier.

Each item (sentence, source, target) becomes three views: the whole sentence with the
parties replaced by placeholders, the predicate window between (or after) the parties,
and that window's character n-grams. Pure Python + numpy/scipy, so training and
inference share one analyser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

SRC, TGT = "xsrcx", "xtgtx"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[$%]")
WINDOW_AFTER = 12  # words kept after the last party when the predicate is not between them


@dataclass(frozen=True)
class Views:
    """The texts one item is read through: whole sentence and predicate window."""

    sentence: str
    window: str


def _find(text: str, words: str | None, taken: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Character span of a party's words in the text (case-insensitive), avoiding an already-taken span."""
    if not words or not words.strip():
        return None
    low, needle = text.lower(), words.strip().lower()
    start = low.find(needle)
    while start >= 0:
        end = start + len(needle)
        if taken is None or end <= taken[0] or start >= taken[1]:
            return start, end
        start = low.find(needle, start + 1)
    return None


def make_views(text: str, source: str | None, target: str | None) -> Views:
    """Build the sentence and window views; works when a party is missing or not found."""
    s = _find(text, source)
    t = _find(text, target, s)
    spans = sorted([(sp, tag) for sp, tag in ((s, SRC), (t, TGT)) if sp is not None])
    parts, last = [], 0
    for (a, b), tag in spans:
        parts.append(text[last:a])
        parts.append(f" {tag} ")
        last = b
    parts.append(text[last:])
    sentence = "".join(parts).lower()
    if len(spans) == 2:
        (a0, b0), first = spans[0]
        (a1, b1), second = spans[1]
        after = " ".join(WORD.findall(text[b1:].lower())[:WINDOW_AFTER // 2])
        window = f"{first} {text[b0:a1].lower()} {second} {after}"
    elif len(spans) == 1:
        (a0, b0), tag = spans[0]
        before = " ".join(WORD.findall(text[:a0].lower())[-4:])
        window = f"{before} {tag} " + " ".join(WORD.findall(text[b0:].lower())[:WINDOW_AFTER])
    else:
        window = " ".join(WORD.findall(text.lower())[:WINDOW_AFTER + 4])
    return Views(sentence=sentence, window=window)


def mark_parties(text: str, source: str | None, target: str | None) -> str:
    """The sentence with the source wrapped in '@ … @' and the target in '# … #' (punctuation entity markers,
    as in Zhou & Chen 2022), for the fine-tuned encoder; parties not found are left unmarked."""
    s = _find(text, source)
    t = _find(text, target, s)
    spans = sorted((sp, mark) for sp, mark in ((s, "@"), (t, "#")) if sp is not None)
    parts, last = [], 0
    for (a, b), mark in spans:
        parts.append(f"{text[last:a]}{mark} {text[a:b]} {mark}")
        last = b
    parts.append(text[last:])
    return "".join(parts)


def word_ngrams(text: str, n_max: int, prefix: str) -> list[str]:
    """Word 1..n_max-grams of a lower-cased text, tagged with the view's prefix."""
    words = WORD.findall(text)
    grams = []
    for n in range(1, n_max + 1):
        grams.extend(prefix + " ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    return grams


def char_ngrams(text: str, lo: int, hi: int, prefix: str) -> list[str]:
    """Character lo..hi-grams inside padded words (like sklearn's char_wb)."""
    grams = []
    for w in WORD.findall(text):
        if w in (SRC, TGT):
            continue
        w = f" {w} "
        for n in range(lo, hi + 1):
            grams.extend(prefix + w[i:i + n] for i in range(max(len(w) - n + 1, 1)))
    return grams


def analyse(views: Views) -> list[str]:
    """All n-gram features of one item: sentence words, window words, window characters."""
    return (word_ngrams(views.sentence, 2, "s:") + word_ngrams(views.window, 3, "w:")
            + char_ngrams(views.window, 3, 5, "c:"))


class SparseVectoriser:
    """TF-IDF over the analyser's n-grams: sublinear tf, smoothed idf, L2-normalised rows."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray):
        self.vocab = vocab
        self.idf = idf

    @classmethod
    def fit(cls, docs: list[list[str]], min_df: int = 2) -> "SparseVectoriser":
        """Learn the vocabulary (n-grams seen in at least min_df items) and idf weights."""
        df: dict[str, int] = {}
        for grams in docs:
            for g in set(grams):
                df[g] = df.get(g, 0) + 1
        keep = sorted(g for g, c in df.items() if c >= min_df)
        vocab = {g: i for i, g in enumerate(keep)}
        n = len(docs)
        idf = np.array([np.log((1 + n) / (1 + df[g])) + 1.0 for g in keep], dtype=np.float64)
        return cls(vocab, idf)

    def transform(self, docs: list[list[str]]) -> sparse.csr_matrix:
        """Rows of L2-normalised sublinear TF-IDF."""
        get = self.vocab.get
        indptr, indices, data = [0], [], []
        for grams in docs:
            known = np.fromiter((j for j in map(get, grams) if j is not None), dtype=np.int64)
            cols, counts = np.unique(known, return_counts=True)
            vals = (1.0 + np.log(counts)) * self.idf[cols]
            norm = np.linalg.norm(vals)
            indices.append(cols)
            data.append(vals / norm if norm > 0 else vals)
            indptr.append(indptr[-1] + len(cols))
        values = np.concatenate([np.zeros(0), *data])
        columns = np.concatenate([np.zeros(0, dtype=np.int64), *indices])
        return sparse.csr_matrix((values, columns, indptr), shape=(len(docs), len(self.vocab)))
