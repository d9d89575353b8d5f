"""Near-duplicate sentences, so that cross-validation folds never split a sentence from its near-copy.

Two sentences are near-duplicates when the Jaccard similarity of their sets of lower-cased words is at
least THRESHOLD; groups are the connected components of that relation (a near-copy of a near-copy joins
the group). Computed exactly (a sparse product over word sets), so no MinHash approximation is needed at
these sizes.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np
from scipy.sparse import csr_matrix

THRESHOLD = 0.5
WORD = re.compile(r"\w+")


def word_sets(texts: Sequence[str]) -> csr_matrix:
    """One binary row per text over the texts' lower-cased words."""
    vocab: dict[str, int] = {}
    cols, ptr = [], [0]
    for text in texts:
        cols += sorted({vocab.setdefault(w, len(vocab)) for w in WORD.findall(text.lower())})
        ptr.append(len(cols))
    return csr_matrix((np.ones(len(cols)), cols, ptr), shape=(len(texts), max(1, len(vocab))))


def similar_pairs(texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard) for every i < j whose word sets overlap at least `threshold`."""
    X = word_sets(texts)
    sizes = np.asarray(X.sum(axis=1)).ravel()
    inter = (X @ X.T).tocoo()
    out = []
    for i, j, n in zip(inter.row, inter.col, inter.data):
        if i < j:
            jac = n / (sizes[i] + sizes[j] - n)
            if jac >= threshold:
                out.append((int(i), int(j), float(jac)))
    return out


def groups(texts: Sequence[str], threshold: float = THRESHOLD) -> np.ndarray:
    """A group id per text: texts joined by a chain of near-duplicates share one."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in similar_pairs(texts, threshold):
        parent[find(i)] = find(j)
    return np.array([find(i) for i in range(len(texts))])


def summary(group_ids: np.ndarray) -> dict:
    """How many groups hold more than one text, and how many texts they hold."""
    _, counts = np.unique(group_ids, return_counts=True)
    return {"texts": int(len(group_ids)), "groups": int(len(counts)),
            "duplicate_groups": int((counts > 1).sum()), "texts_in_duplicate_groups": int(counts[counts > 1].sum()),
            "largest_group": int(counts.max()) if len(counts) else 0}
