"""The pair model: logistic regression over a candidate pair's sparse features, giving the probability that
the sentence states an event by the first party (towards the second, when there is one). Weights are plain
arrays in data/extractor/ (pair_model.npz, pair_model.json), written by scripts/train_extractor.py."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "data" / "extractor"


class PairModel:
    """Event probability for each candidate pair; `threshold` (a side acts) and `recipient_threshold` (towards
    this other side) are the decision points chosen on the dev reports."""

    def __init__(self, vocab: list[str], coef: np.ndarray, bias: float, threshold: float,
                 recipient_threshold: float):
        self.index = {f: i for i, f in enumerate(vocab)}
        self.coef, self.bias = np.asarray(coef, dtype=np.float64), float(bias)
        self.threshold, self.recipient_threshold = float(threshold), float(recipient_threshold)

    def probabilities(self, rows: Sequence[list[str]]) -> np.ndarray:
        """P(event) for each feature list."""
        out = np.empty(len(rows))
        for n, feats in enumerate(rows):
            idx = [self.index[f] for f in set(feats) if f in self.index]
            out[n] = self.coef[idx].sum() + self.bias
        return 1.0 / (1.0 + np.exp(-out))

    def save(self, directory: str | Path, meta: dict | None = None) -> None:
        """Write the weights and settings (no pickles)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.index, key=self.index.get)
        np.savez_compressed(directory / "pair_model.npz", coef=self.coef.astype(np.float32))
        (directory / "pair_model.json").write_text(json.dumps(
            {"vocab": vocab, "bias": self.bias, "threshold": self.threshold,
             "recipient_threshold": self.recipient_threshold, **(meta or {})}, indent=0),
            encoding="utf-8")


def read_pair_model(directory: str | Path) -> PairModel:
    """A pair model stored by PairModel.save."""
    directory = Path(directory)
    meta = json.loads((directory / "pair_model.json").read_text(encoding="utf-8"))
    with np.load(directory / "pair_model.npz") as arrays:
        coef = arrays["coef"]
    return PairModel(meta["vocab"], coef, meta["bias"], meta["threshold"], meta["recipient_threshold"])


@lru_cache(maxsize=1)
def load_pair_model() -> PairModel:
    """The shipped pair model, loaded once per process."""
    return read_pair_model(WEIGHTS_DIR)


class TypeModel:
    """Probabilities over the classifier's root labels for an event's pair, from the same sparse features:
    what the words linking the two sides say about the kind of act."""

    def __init__(self, labels: list[str], vocab: list[str], coef: np.ndarray, bias: np.ndarray):
        self.labels = list(labels)
        self.index = {f: i for i, f in enumerate(vocab)}
        self.coef, self.bias = np.asarray(coef, dtype=np.float64), np.asarray(bias, dtype=np.float64)

    def probabilities(self, rows: Sequence[list[str]], labels: Sequence[str]) -> np.ndarray:
        """One row per feature list, columns in the order of `labels` (labels it never saw get 0)."""
        z = np.tile(self.bias, (len(rows), 1))
        for n, feats in enumerate(rows):
            idx = [self.index[f] for f in set(feats) if f in self.index]
            if idx:
                z[n] += self.coef[:, idx].sum(axis=1)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        out = np.zeros((len(rows), len(labels)))
        for j, label in enumerate(self.labels):
            if label in labels:
                out[:, list(labels).index(label)] = p[:, j]
        return out

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        np.savez_compressed(directory / "type_model.npz", coef=self.coef.astype(np.float32),
                            bias=self.bias.astype(np.float32))
        vocab = sorted(self.index, key=self.index.get)
        (directory / "type_model.json").write_text(json.dumps({"labels": self.labels, "vocab": vocab}),
                                                   encoding="utf-8")


def read_type_model(directory: str | Path) -> TypeModel:
    """A type model stored by TypeModel.save."""
    directory = Path(directory)
    meta = json.loads((directory / "type_model.json").read_text(encoding="utf-8"))
    with np.load(directory / "type_model.npz") as arrays:
        return TypeModel(meta["labels"], meta["vocab"], arrays["coef"], arrays["bias"])


@lru_cache(maxsize=1)
def load_type_model() -> TypeModel:
    """The shipped type model, loaded once per process."""
    return read_type_model(WEIGHTS_DIR)
