"""Sentence-level PLOVER event-type classifier: cheap n-gram model first, fine-tuned MiniLM only where it is unsure.

Weights live in src/cablegram/data/classifier/: plain arrays for the n-gram model (classifier.npz +
meta.json) and the int8 ONNX encoder (encoder.onnx), all written by scripts/train_classifier.py.
Scores cover PLOVER 2.0's 16 types; the trained YIELD class is split into CONCEDE/RETREAT by the
rule in classifier_yield.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from cablegram.coding.classifier_encoder import EncoderClassifier
from cablegram.coding.classifier_features import SparseVectoriser, analyse, make_views
from cablegram.coding.classifier_yield import yield_subtype
from cablegram.models import EVENT_TYPES

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "data" / "classifier"
Item = tuple[str, "str | None", "str | None"]
Chooser = Callable[[np.ndarray], np.ndarray]  # n-gram probability rows -> one bool per row


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
    """Two stages: TF-IDF logistic regression for every item; for the items where its top probability is below
    `confident`, the fine-tuned encoder's probabilities are mixed in with weight `mix`.

    encoded_items counts the items that needed the encoder (for speed reports)."""

    def __init__(self, model: dict, confident: float, mix: float, encoder_path: str | Path):
        self.labels = list(model["labels"])
        self.vectoriser = SparseVectoriser({g: i for i, g in enumerate(model["vocab"])}, np.asarray(model["idf"]))
        self.fast = (np.asarray(model["fast_coef"]).T, np.asarray(model["fast_bias"]))
        self.confident, self.mix = confident, mix
        self.encoder_path = encoder_path
        self._encoder: EncoderClassifier | None = None
        self.encoded_items = 0

    @property
    def encoder(self) -> EncoderClassifier:
        """The fine-tuned encoder, loaded the first time an unsure item needs it."""
        if self._encoder is None:
            self._encoder = EncoderClassifier(self.encoder_path)
        return self._encoder

    def fast_probabilities(self, items: Sequence[Item]) -> np.ndarray:
        """The n-gram model's probabilities over the trained labels, one row per item."""
        X = self.vectoriser.transform([analyse(make_views(t, s, g)) for t, s, g in items])
        return _softmax(X @ self.fast[0] + self.fast[1])

    def reachable(self, fast: np.ndarray) -> np.ndarray:
        """The most each label's probability can become once the encoder is mixed in (the encoder's own
        probability taken as 1), from the n-gram model's rows: a bound that tells when the encoder cannot
        change a decision. Rows the n-gram model is confident about are final."""
        unsure = fast.max(axis=1, keepdims=True) < self.confident
        return np.where(unsure, (1.0 - self.mix) * fast + self.mix, fast)

    def root_probabilities(self, items: Sequence[Item], deep: Chooser | None = None) -> np.ndarray:
        """Probabilities over the trained labels (YIELD not yet split), one row per item. `deep`, given the
        n-gram model's rows, marks the items worth the encoder; the others keep the n-gram probabilities."""
        if not items:
            return np.zeros((0, len(self.labels)))
        probs = self.fast_probabilities(items)
        wanted = probs.max(axis=1) < self.confident
        unsure = np.flatnonzero(wanted if deep is None else wanted & deep(probs))
        self.encoded_items += len(unsure)
        if len(unsure):
            encoded = self.encoder.probabilities([items[i] for i in unsure])
            probs[unsure] = (1.0 - self.mix) * probs[unsure] + self.mix * encoded
        return probs

    def predict(self, items: Sequence[Item], deep: Chooser | None = None,
                also: np.ndarray | None = None, also_weight: float = 0.5) -> list[Prediction]:
        """Classify (sentence, source words or None, target words or None) items in one batch; `deep` as in
        root_probabilities; `also`, rows over the same labels from another model (the coder's pair typer),
        is mixed in with weight `also_weight`."""
        out = []
        rows = self.root_probabilities(items, deep)
        if also is not None:
            rows = (1.0 - also_weight) * rows + also_weight * also
        for (text, _, _), row in zip(items, rows):
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


def read_weights(directory: str | Path) -> tuple[dict, dict]:
    """Load classifier.npz and meta.json from a weights directory; returns the arrays and the settings."""
    directory = Path(directory)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    with np.load(directory / "classifier.npz") as arrays:
        model = {k: arrays[k] for k in arrays.files}
    model.update(labels=meta["labels"], vocab=meta["vocab"])
    return model, meta


def classifier_from(directory: str | Path) -> EventTypeClassifier:
    """The classifier stored in a weights directory (classifier.npz, meta.json, encoder.onnx)."""
    model, meta = read_weights(directory)
    return EventTypeClassifier(model, float(meta["confident"]), float(meta["mix"]), Path(directory) / "encoder.onnx")


@lru_cache(maxsize=1)
def load_classifier() -> EventTypeClassifier:
    """The shipped classifier, loaded once per process."""
    return classifier_from(WEIGHTS_DIR)
