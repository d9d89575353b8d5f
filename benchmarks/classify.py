"""Cross-validated accuracy/macro-F1 and one-core speed of the event-type classifier.

Usage: python benchmarks/classify.py [--data PATH] [--folds 5] [--seed 0] [--confident P] [--json]
Folds are trained with the same code as scripts/train_classifier.py; CONCEDE/RETREAT are
folded back to YIELD for scoring against the 15 training labels. Speed is measured on
held-out sentences only (each fold's model on its own test fold, so the embedder runs as
often as it would on unseen text), next to a plain spaCy nlp.pipe pass over the same sentences.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("CABLEGRAM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from cablegram.coding.classifier import EventTypeClassifier  # noqa: E402
from cablegram.coding.classifier_train import CONFIDENT, read_codebook, read_tsv, train  # noqa: E402
from cablegram.nlp import load_embedder, load_spacy  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "plv_train.tsv"
ROOT = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def cross_validate(items, codebook, folds: int, seed: int, confident: float) -> dict:
    """Stratified k-fold: train on k-1 folds (plus codebook lines), predict and time the held-out fold."""
    gold = np.array([i.label for i in items])
    pred = np.empty(len(items), dtype=object)
    embedder = load_embedder()
    embedder.encode(["warm up"])
    seconds, embedded = 0.0, 0
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in skf.split(np.zeros(len(items)), gold):
        model = train([items[i] for i in train_idx], codebook, embedder, seed=seed)
        clf = EventTypeClassifier(model, confident, embedder)
        start = time.perf_counter()
        out = clf.predict([(items[i].text, items[i].source, items[i].target) for i in test_idx])
        seconds += time.perf_counter() - start
        embedded += clf.embedded_items
        pred[test_idx] = [ROOT.get(p.event_type, p.event_type) for p in out]
    labels = sorted(set(gold))
    return {
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro")), 4),
        "labels": labels,
        "confusion": confusion_matrix(gold, pred, labels=labels).tolist(),
        "classifier_sents_per_s": round(len(items) / seconds, 1),
        "embedded_share": round(embedded / len(items), 3),
    }


def spacy_speed(items) -> float:
    """Sentences per second of a plain spaCy pass over the same sentences on one core."""
    texts = [i.text for i in items]
    nlp = load_spacy()
    list(nlp.pipe(texts[:8]))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return round(len(texts) / (time.perf_counter() - start), 1)


def main() -> None:
    """Run cross-validation and the speed comparison; print a table or JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--confident", type=float, default=CONFIDENT,
                    help="fast-model probability above which the embedder is skipped (speed/accuracy trade-off)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    items = read_tsv(args.data)
    codebook = read_codebook(Path(args.data).with_name("cameo2plover.txt"))
    result = {"sentences": len(items), "folds": args.folds, "confident": args.confident,
              **cross_validate(items, codebook, args.folds, args.seed, args.confident)}
    result["spacy_sents_per_s"] = spacy_speed(items)
    result["ratio"] = round(result["classifier_sents_per_s"] / result["spacy_sents_per_s"], 2)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['folds']}-fold CV on {result['sentences']} sentences: "
          f"accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")
    labels = result["labels"]
    print("gold \\ predicted  " + " ".join(f"{lab[:4]:>4}" for lab in labels))
    for lab, row in zip(labels, result["confusion"]):
        print(f"{lab:<17} " + " ".join(f"{n:>4}" for n in row))
    print(f"speed, one core, held-out sentences: classifier {result['classifier_sents_per_s']} sent/s "
          f"(embedder used on {result['embedded_share']:.0%}), spaCy {result['spacy_sents_per_s']} sent/s, "
          f"ratio {result['ratio']}")


if __name__ == "__main__":
    main()
