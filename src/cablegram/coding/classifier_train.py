"""Training of the event-type classifier, shared by scripts/train_classifier.py and the benchmark.

A multinomial logistic regression over TF-IDF n-grams (fast, run on every item) and a MiniLM
encoder fine-tuned on the party-marked sentences (classifier_finetune, run only where the
n-gram model is unsure). Codebook knowledge enters as extra, down-weighted training items:
the CAMEO-to-PLOVER table's category descriptions and the project's own type phrases
(data/classifier/type_descriptions.tsv).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from cablegram.coding.classifier_features import SparseVectoriser, analyse, make_views

C_FAST = 30.0
CODEBOOK_WEIGHT = 0.5
CONFIDENT = 0.7      # the n-gram model's top probability above which the encoder is skipped (chosen on CV, see docs)
MIX = 0.5            # weight of the encoder's probabilities where it runs
YIELD_TYPES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
DESCRIPTIONS = Path(__file__).resolve().parent.parent / "data" / "classifier" / "type_descriptions.tsv"
CAMEO_LINE = re.compile(r"^\d+:\s*([A-Z]+)\s*,[^#]*#\s*(.+)$")


@dataclass
class Item:
    """One training or test item: sentence, source words, target words, gold root label (15-label)."""

    text: str
    source: str | None
    target: str | None
    label: str | None = None


def read_tsv(path: str | Path) -> list[Item]:
    """Read the PLOVER sentence TSV (columns sentence, source, target, gold_root)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [Item(r["sentence"], r["source"] or None, r["target"] or None, r["gold_root"])
                for r in csv.DictReader(fh, delimiter="\t")]


def read_codebook(path: str | Path) -> list[Item]:
    """CAMEO-to-PLOVER category descriptions (CONCEDE/RETREAT → YIELD) plus the project's type phrases, as items."""
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = CAMEO_LINE.match(line.strip())
        if m:
            label = YIELD_TYPES.get(m.group(1), m.group(1))
            items.append(Item(m.group(2).strip(), None, None, label))
    return items + read_type_descriptions()


def read_type_descriptions(path: str | Path = DESCRIPTIONS) -> list[Item]:
    """The project's own phrases per root type, written from the codebook's type definitions."""
    rows = [line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [Item(phrase.strip(), None, None, label.strip()) for label, phrase in rows]


def _logreg(X, y, weights, C: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=seed).fit(
        X, y, sample_weight=weights)


def _weights(everything: list[Item], n_items: int) -> np.ndarray:
    """Per-item training weights: codebook lines count CODEBOOK_WEIGHT."""
    return np.array([1.0] * n_items + [CODEBOOK_WEIGHT] * (len(everything) - n_items))


def train(items: list[Item], codebook: list[Item], seed: int = 0) -> dict[str, np.ndarray | list]:
    """Fit the fast n-gram model; returns plain arrays (vocabulary, idf, coefficients) ready to save."""
    everything = items + codebook
    grams = [analyse(make_views(i.text, i.source, i.target)) for i in everything]
    labels = np.array([i.label for i in everything])
    vec = SparseVectoriser.fit(grams[:len(items)])
    fast = _logreg(vec.transform(grams), labels, _weights(everything, len(items)), C_FAST, seed)
    return {
        "labels": list(fast.classes_), "vocab": sorted(vec.vocab, key=vec.vocab.get),
        "idf": vec.idf.astype(np.float32),
        "fast_coef": fast.coef_.astype(np.float32), "fast_bias": fast.intercept_.astype(np.float32),
    }


def train_encoder(items: list[Item], codebook: list[Item], labels: list[str], out: str | Path, seed: int = 0,
                  log=None) -> None:
    """Fine-tune MiniLM on the party-marked sentences and codebook lines; write the int8 ONNX model to `out`.

    Loss weights are the same as the n-gram model's: balanced over classes, codebook lines at CODEBOOK_WEIGHT."""
    from cablegram.coding.classifier_finetune import train_encoder as finetune_and_export

    everything = items + codebook
    y = [i.label for i in everything]
    counts = {lab: y.count(lab) for lab in labels}
    balance = np.array([len(y) / (len(labels) * counts[lab]) for lab in y])
    finetune_and_export([i.text for i in everything], [i.source for i in everything],
                        [i.target for i in everything], y, labels, balance * _weights(everything, len(items)),
                        out, seed=seed, log=log)


def save(model: dict, out: str | Path) -> None:
    """Write the n-gram model as classifier.npz (arrays) and meta.json (labels, vocabulary, settings)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    arrays = {k: v for k, v in model.items() if isinstance(v, np.ndarray)}
    np.savez_compressed(out / "classifier.npz", **arrays)
    meta = {"labels": model["labels"], "vocab": model["vocab"], "confident": CONFIDENT, "mix": MIX}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
