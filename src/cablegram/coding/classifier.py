"""Sentence-level PLOVER event-type classifier: cheap n-gram model first, MiniLM only where it is unsure.

Weights are plain arrays in src/cablegram/data/classifier/ (classifier.npz + meta.json),
written by scripts/train_classifier.py. Scores cover PLOVER 2.0's 16 types; the trained
YIELD class is split into CONCEDE/RETREAT by the rule in classifier_yield.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from cablegram.coding.classifier_features import SparseVectoriser, analyse, embed_views, make_views
from cablegram.coding.classifier_yield import yield_subtype
from cablegram.models import EVENT_TYPES

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "data" / "classifier"
Item = tuple[str, "str | None", "str | None"]


@dataclass
class Prediction:
    """The most likely PLOVER type, its probability, and the probabilities of all 16 types."""

    event_type: str
    confidence: float
    scores: dict[str, float]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class EventTypeClassifier:
    """Two-stage classifier: TF-IDF logistic regression, then n-grams + embeddings for unsure items.

    embedded_items counts the items that needed the embedder (for speed reports)."""

    def __init__(self, model: dict, confident: float, embedder=None):
        self.labels = list(model["labels"])
        self.vectoriser = SparseVectoriser({g: i for i, g in enumerate(model["vocab"])}, np.asarray(model["idf"]))
        self.fast = (np.asarray(model["fast_coef"]).T, np.asarray(model["fast_bias"]))
        self.full = (np.asarray(model["full_sparse"]).T, np.asarray(model["full_sentence"]).T,
                     np.asarray(model["full_window"]).T, np.asarray(model["full_bias"]))
        self.confident = confident
        self._embedder = embedder
        self.embedded_items = 0

    @property
    def embedder(self):
        """The shared MiniLM embedder, loaded the first time an unsure item needs it."""
        if self._embedder is None:
            from cablegram.nlp import load_embedder
            self._embedder = load_embedder()
        return self._embedder

    def root_probabilities(self, items: Sequence[Item]) -> np.ndarray:
        """Probabilities over the trained labels (YIELD not yet split), one row per item."""
        if not items:
            return np.zeros((0, len(self.labels)))
        views = [make_views(text, source, target) for text, source, target in items]
        X = self.vectoriser.transform([analyse(v) for v in views])
        probs = _softmax(X @ self.fast[0] + self.fast[1])
        unsure = np.flatnonzero(probs.max(axis=1) < self.confident)
        self.embedded_items += len(unsure)
        if len(unsure):
            es, ew = embed_views([items[i][0] for i in unsure], [views[i] for i in unsure], self.embedder)
            w_sparse, w_sent, w_win, bias = self.full
            probs[unsure] = _softmax(X[unsure] @ w_sparse + es @ w_sent + ew @ w_win + bias)
        return probs

    def predict(self, items: Sequence[Item]) -> list[Prediction]:
        """Classify (sentence, source words or None, target words or None) items in one batch."""
        out = []
        for (text, _, _), row in zip(items, self.root_probabilities(items)):
            scores = dict.fromkeys(EVENT_TYPES, 0.0)
            for label, p in zip(self.labels, row):
                if label == "YIELD":
                    sub, share = yield_subtype(text)
                    other = "CONCEDE" if sub == "RETREAT" else "RETREAT"
                    scores[sub] += float(p) * share
                    scores[other] += float(p) * (1.0 - share)
                else:
                    scores[label] += float(p)
            total = sum(scores.values())
            scores = {k: v / total for k, v in scores.items()}
            best = self.labels[int(row.argmax())]
            if best == "YIELD":
                best = yield_subtype(text)[0]
            out.append(Prediction(best, scores[best], scores))
        return out


def read_weights(directory: str | Path) -> tuple[dict, float]:
    """Load classifier.npz and meta.json from a weights directory."""
    directory = Path(directory)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    with np.load(directory / "classifier.npz") as arrays:
        model = {k: arrays[k] for k in arrays.files}
    model.update(labels=meta["labels"], vocab=meta["vocab"])
    return model, float(meta["confident"])


@lru_cache(maxsize=1)
def load_classifier() -> EventTypeClassifier:
    """The shipped classifier, loaded once per process."""
    model, confident = read_weights(WEIGHTS_DIR)
    return EventTypeClassifier(model, confident)
