"""Training of the event-type classifier, shared by scripts/train_classifier.py and the benchmark.

Two multinomial logistic regressions over the same TF-IDF n-grams: a fast one on the
n-grams alone, and a fuller one that also sees MiniLM embeddings of the sentence and of
the predicate window. Codebook knowledge enters as extra, down-weighted training items:
the CAMEO-to-PLOVER table's category descriptions and the project's own type phrases
(data/classifier/type_descriptions.tsv). No torch needed.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from cablegram.coding.classifier_features import SparseVectoriser, analyse, embed_views, make_views

EMBED_WEIGHT = 0.5   # scale of the embedding blocks next to the unit-norm TF-IDF rows
C_FAST, C_FULL = 30.0, 30.0
CODEBOOK_WEIGHT = 0.5
CONFIDENT = 0.4      # the fast model's top probability above which the embedder is skipped
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


def train(items: list[Item], codebook: list[Item], embedder, seed: int = 0) -> dict[str, np.ndarray | list]:
    """Fit both models; returns plain arrays (vocabulary, idf, coefficients) ready to save."""
    everything = items + codebook
    views = [make_views(i.text, i.source, i.target) for i in everything]
    grams = [analyse(v) for v in views]
    labels = np.array([i.label for i in everything])
    weights = np.array([1.0] * len(items) + [CODEBOOK_WEIGHT] * len(codebook))
    vec = SparseVectoriser.fit(grams[:len(items)])
    X = vec.transform(grams)
    fast = _logreg(X, labels, weights, C_FAST, seed)
    es, ew = embed_views([i.text for i in everything], views, embedder)
    full = _logreg(sparse.hstack([X, EMBED_WEIGHT * es, EMBED_WEIGHT * ew]).tocsr(), labels, weights, C_FULL, seed)
    vocab = sorted(vec.vocab, key=vec.vocab.get)
    n = len(vocab)
    return {
        "labels": list(fast.classes_), "vocab": vocab, "idf": vec.idf.astype(np.float32),
        "fast_coef": fast.coef_.astype(np.float32), "fast_bias": fast.intercept_.astype(np.float32),
        "full_sparse": full.coef_[:, :n].astype(np.float32),
        "full_sentence": full.coef_[:, n:n + 384].astype(np.float32) * EMBED_WEIGHT,
        "full_window": full.coef_[:, n + 384:].astype(np.float32) * EMBED_WEIGHT,
        "full_bias": full.intercept_.astype(np.float32),
    }


def save(model: dict, out: str | Path) -> None:
    """Write the model as classifier.npz (arrays) and meta.json (labels, vocabulary, settings)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    arrays = {k: v for k, v in model.items() if isinstance(v, np.ndarray)}
    np.savez_compressed(out / "classifier.npz", **arrays)
    meta = {"labels": model["labels"], "vocab": model["vocab"], "confident": CONFIDENT}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
