"""Cross-validated accuracy/macro-F1 and one-core speed of the event-type classifier.

Usage: python benchmarks/classify.py [--data PATH] [--folds 5] [--seed 0] [--folds-by near-duplicate|sentence]
                                    [--ngram-only] [--confident P] [--mix W] [--json]
Folds are built so that no sentence's near-duplicate (benchmarks/near_duplicates.py: word-set Jaccard
>= 0.5) crosses folds (StratifiedGroupKFold); `--folds-by sentence` gives the plain stratified folds.
Folds are trained with the same code as scripts/train_classifier.py (the fine-tuned encoders
need the `train` extra and are cached in .cache/classify-cv/, so a second run only scores;
`--ngram-only` measures the n-gram stage alone, which needs no torch);
CONCEDE/RETREAT are folded back to YIELD for scoring against the 15 training labels. Speed is
measured on held-out sentences only (each fold's model on its own test fold, so the encoder
runs as often as it would on unseen text), next to a plain spaCy nlp.pipe pass over the same
sentences in the same process.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("CABLEGRAM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold  # noqa: E402

from cablegram.coding.classifier import EventTypeClassifier  # noqa: E402
from cablegram.coding.classifier_train import CONFIDENT, MIX, read_codebook, read_tsv, train  # noqa: E402
from cablegram.nlp import load_spacy  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import near_duplicates  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "plv_train.tsv"
DEFAULT_CACHE = Path(__file__).resolve().parents[1] / ".cache" / "classify-cv"
ROOT = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def fold_splits(items, folds: int, seed: int, by: str, threshold: float) -> tuple[list, dict | None]:
    """(train, test) index pairs: stratified by label, and with `by` "near-duplicate" never splitting a group of
    near-duplicate sentences; also the grouping's summary (None for plain stratified folds)."""
    gold = np.array([i.label for i in items])
    if by == "sentence":
        return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(gold, gold)), None
    groups = near_duplicates.groups([i.text for i in items], threshold)
    splits = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(gold, gold, groups)
    return list(splits), {"threshold": threshold, **near_duplicates.summary(groups)}


def fold_encoders(items, codebook, labels, splits, tag: str, seed: int, cache: Path) -> list[Path]:
    """Fine-tune one encoder per fold on its training part (cached by data, folds, seed and settings)."""
    from cablegram.coding import classifier_finetune as ft
    from cablegram.coding.classifier_train import train_encoder

    settings = (ft.FROZEN_LAYERS, ft.EPOCHS, ft.BATCH, ft.LR_ENCODER, ft.LR_HEAD, ft.WARMUP, ft.WEIGHT_DECAY, ft.MAX_TOKENS)
    key = hashlib.sha1(repr(([(i.text, i.source, i.target, i.label) for i in items + codebook],
                             settings)).encode()).hexdigest()[:12]
    paths = []
    for k, (train_idx, _) in enumerate(splits):
        path = cache / f"{key}-seed{seed}-{tag}fold{k + 1}of{len(splits)}.onnx"
        if not path.exists():
            print(f"fine-tuning fold {k + 1}/{len(splits)} -> {path}", file=sys.stderr, flush=True)
            train_encoder([items[i] for i in train_idx], codebook, labels, path.with_suffix(".tmp"), seed=seed,
                          log=lambda m: print(m, file=sys.stderr, flush=True))
            path.with_suffix(".tmp").rename(path)
        paths.append(path)
    return paths


def cross_validate(items, codebook, splits, tag: str, seed: int, confident: float, mix: float, cache: Path) -> dict:
    """k-fold: train on k-1 folds (plus codebook lines), predict and time the held-out fold.

    Also keeps every held-out item's n-gram and encoder probabilities (untimed) for the settings grid."""
    gold = np.array([i.label for i in items])
    labels = sorted(set(gold))
    encoders = fold_encoders(items, codebook, labels, splits, tag, seed, cache)
    pred = np.empty(len(items), dtype=object)
    fast_p = np.zeros((len(items), len(labels)))
    deep_p = np.zeros((len(items), len(labels)))
    seconds, encoded = 0.0, 0
    for (train_idx, test_idx), encoder in zip(splits, encoders):
        model = train([items[i] for i in train_idx], codebook, seed=seed)
        assert list(model["labels"]) == labels
        clf = EventTypeClassifier(model, confident, mix, encoder)
        test = [(items[i].text, items[i].source, items[i].target) for i in test_idx]
        clf.encoder.probabilities(test[:4])  # load and warm up outside the timing
        start = time.perf_counter()
        out = clf.predict(test)
        seconds += time.perf_counter() - start
        encoded += clf.encoded_items
        pred[test_idx] = [ROOT.get(p.event_type, p.event_type) for p in out]
        fast_p[test_idx] = clf.fast_probabilities(test)
        deep_p[test_idx] = clf.encoder.probabilities(test)
    return figures(gold, pred, labels, round(len(items) / seconds, 1), round(encoded / len(items), 3),
                   settings_grid(gold, labels, fast_p, deep_p))


def figures(gold: np.ndarray, pred: np.ndarray, labels: list[str], per_second: float, encoded_share: float,
            grid: list) -> dict:
    """What a cross-validation run reports: accuracy, macro-F1 and the confusion over the held-out folds."""
    return {
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro")), 4),
        "labels": labels,
        "confusion": confusion_matrix(gold, pred, labels=labels).tolist(),
        "classifier_sents_per_s": per_second,
        "encoded_share": encoded_share,
        "grid": grid,
    }


def cross_validate_ngram(items, codebook, splits, seed: int) -> dict:
    """The n-gram stage alone (what the classifier gives with `confident` 0): no encoder, no torch."""
    gold = np.array([i.label for i in items])
    labels = sorted(set(gold))
    pred = np.empty(len(items), dtype=object)
    seconds = 0.0
    for train_idx, test_idx in splits:
        model = train([items[i] for i in train_idx], codebook, seed=seed)
        assert list(model["labels"]) == labels
        clf = EventTypeClassifier(model, 0.0, 0.0, Path("unused.onnx"))
        test = [(items[i].text, items[i].source, items[i].target) for i in test_idx]
        start = time.perf_counter()
        probs = clf.fast_probabilities(test)
        seconds += time.perf_counter() - start
        pred[test_idx] = np.array(labels)[probs.argmax(axis=1)]
    return figures(gold, pred, labels, round(len(items) / seconds, 1), 0.0, [])


def settings_grid(gold, labels, fast_p, deep_p) -> list[dict]:
    """Held-out accuracy, macro-F1 and encoder share for each (confident, mix) pair, from the kept probabilities."""
    rows = []
    names = np.array(labels)
    for confident in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01):
        unsure = fast_p.max(axis=1) < confident
        for mix in (0.5, 0.7, 1.0):
            probs = np.where(unsure[:, None], (1 - mix) * fast_p + mix * deep_p, fast_p)
            pred = names[probs.argmax(axis=1)]
            rows.append({"confident": confident, "mix": mix, "encoded_share": round(float(unsure.mean()), 3),
                         "accuracy": round(float(accuracy_score(gold, pred)), 4),
                         "macro_f1": round(float(f1_score(gold, pred, average="macro")), 4)})
    return rows


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
                    help="n-gram model probability above which the encoder is skipped (speed/accuracy trade-off)")
    ap.add_argument("--mix", type=float, default=MIX, help="weight of the encoder's probabilities where it runs")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="where the per-fold fine-tuned encoders are kept")
    ap.add_argument("--folds-by", choices=("near-duplicate", "sentence"), default="near-duplicate",
                    help="keep near-duplicate sentences in one fold (default), or plain stratified folds")
    ap.add_argument("--duplicate-threshold", type=float, default=near_duplicates.THRESHOLD,
                    help="word-set Jaccard at which two sentences are near-duplicates")
    ap.add_argument("--ngram-only", action="store_true", help="measure the n-gram stage alone (needs no torch)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    items = read_tsv(args.data)
    codebook = read_codebook(Path(args.data).with_name("cameo2plover.txt"))
    splits, grouping = fold_splits(items, args.folds, args.seed, args.folds_by, args.duplicate_threshold)
    tag = "" if grouping is None else f"nd{args.duplicate_threshold:g}-"
    scores = (cross_validate_ngram(items, codebook, splits, args.seed) if args.ngram_only else
              cross_validate(items, codebook, splits, tag, args.seed, args.confident, args.mix, Path(args.cache)))
    result = {"sentences": len(items), "folds": args.folds, "folds_by": args.folds_by, "grouping": grouping,
              "stage": "n-gram" if args.ngram_only else "full", "confident": args.confident, "mix": args.mix,
              **scores}
    result["spacy_sents_per_s"] = spacy_speed(items)
    result["ratio"] = round(result["classifier_sents_per_s"] / result["spacy_sents_per_s"], 2)
    if args.json:
        print(json.dumps(result))
        return
    if grouping is not None:
        print(f"near-duplicates (word-set Jaccard >= {grouping['threshold']:g}): "
              f"{grouping['texts_in_duplicate_groups']} sentences in {grouping['duplicate_groups']} groups, largest {grouping['largest_group']}; "
              f"{grouping['groups']} groups in all")
    print(f"{result['folds']}-fold CV ({args.folds_by} folds, {result['stage']} model) on {result['sentences']} "
          f"sentences: accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")
    labels = result["labels"]
    print("gold \\ predicted  " + " ".join(f"{lab[:4]:>4}" for lab in labels))
    for lab, row in zip(labels, result["confusion"]):
        print(f"{lab:<17} " + " ".join(f"{n:>4}" for n in row))
    print(f"speed, one core, held-out sentences: classifier {result['classifier_sents_per_s']} sent/s "
          f"(encoder used on {result['encoded_share']:.0%}), spaCy {result['spacy_sents_per_s']} sent/s, "
          f"ratio {result['ratio']}")
    if result["grid"]:
        print("settings grid (same held-out probabilities): confident mix -> encoder share, accuracy, macro-F1")
    for row in result["grid"]:
        print(f"  {row['confident']:.2f} {row['mix']:.1f} -> {row['encoded_share']:.0%} "
              f"{row['accuracy']:.3f} {row['macro_f1']:.3f}")


if __name__ == "__main__":
    main()
