"""Train the pair model (cablegram.extract) from the shared data and the project's dev reports; print
cross-validated figures (folds by sentence) and write src/cablegram/data/extractor/.

    python scripts/train_extractor.py --data ../shared/data --reports eval/dev [--exclude-groups FILE]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import GroupKFold

from cablegram.coding.classifier_train import YIELD_TYPES
from cablegram.extract.model import WEIGHTS_DIR, PairModel, TypeModel
from cablegram.extract.training import examples, listed_groups, read_items

C = 0.5
C_TYPE = 1.0
MIN_COUNT = 2


def matrix(rows: list[list[str]], vocab: dict[str, int]) -> csr_matrix:
    data, cols, ptr = [], [], [0]
    for feats in rows:
        idx = sorted({vocab[f] for f in feats if f in vocab})
        cols += idx
        data += [1.0] * len(idx)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), len(vocab)))


def fit(rows, labels, weights):
    counts = Counter(f for feats in rows for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(matrix(rows, vocab), labels, sample_weight=weights)
    return vocab, clf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--reports", nargs="*", default=[], help="annotated report folders (txt + gold.jsonl)")
    ap.add_argument("--report-weight", type=float, default=4.0)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--recipient-threshold", type=float, default=0.15)
    ap.add_argument("--out", default=str(WEIGHTS_DIR))
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated figures")
    ap.add_argument("--exclude-groups", metavar="FILE",
                    help="leave out the sentences whose group ids (plv<id>, cner<n>, cst<n>, rep:<doc>) this file "
                         "lists, one a line: held-out folds for benchmarks/conflibert_sentences.py")
    args = ap.parse_args()
    t0 = time.time()
    items = read_items(args.data, args.reports, listed_groups(args.exclude_groups))
    exs = list(examples(items))
    print(f"{len(items)} sentences/reports, {len(exs)} pairs, {sum(e.label for e in exs)} positive "
          f"({time.time() - t0:.0f} s)")
    rows = [e.features for e in exs]
    y = np.array([e.label for e in exs])
    groups = np.array([e.group for e in exs])
    src = np.array([e.group.split(":")[0].rstrip("0123456789") for e in exs])
    w = np.where(src == "rep", args.report_weight, 1.0)
    pred = np.zeros(len(y))
    for tr, te in ([] if args.no_cv else GroupKFold(n_splits=5).split(rows, y, groups)):
        vocab, clf = fit([rows[i] for i in tr], y[tr], w[tr])
        pred[te] = clf.predict_proba(matrix([rows[i] for i in te], vocab))[:, 1]
    for name in ([] if args.no_cv else sorted(set(src))):
        m = src == name
        hat = pred[m] >= args.threshold
        print(f"{name:6s} n={m.sum():6d} pos={y[m].sum():5d}  P={precision_score(y[m], hat, zero_division=0):.3f} "
              f"R={recall_score(y[m], hat, zero_division=0):.3f} F1={f1_score(y[m], hat, zero_division=0):.3f}")
    typed = [(e.features, YIELD_TYPES.get(e.etype, e.etype), 1.0 if src_i != "rep" else args.report_weight)
             for e, src_i in zip(exs, src) if e.label and e.etype]
    tcounts = Counter(f for feats, _, _ in typed for f in set(feats))
    tvocab = {f: i for i, f in enumerate(sorted(f for f, n in tcounts.items() if n >= MIN_COUNT))}
    tclf = LogisticRegression(C=C_TYPE, max_iter=3000, class_weight="balanced").fit(
        matrix([t[0] for t in typed], tvocab), [t[1] for t in typed], sample_weight=[t[2] for t in typed])
    Path(args.out).mkdir(parents=True, exist_ok=True)
    TypeModel(list(tclf.classes_), sorted(tvocab, key=tvocab.get), tclf.coef_, tclf.intercept_).save(args.out)
    print(f"type model: {len(typed)} typed pairs, {len(tvocab)} features")
    vocab, clf = fit(rows, y, w)
    model = PairModel(sorted(vocab, key=vocab.get), clf.coef_[0], clf.intercept_[0], args.threshold,
                      args.recipient_threshold)
    model.save(args.out, {"C": C, "min_count": MIN_COUNT, "trained_on": ["plv_train.tsv", "cameo_ner_train.txt",
                                                                       "cameo_class_train.tsv (label 0)",
                                                                       *args.reports]})
    print(f"wrote {args.out} ({len(vocab)} features)")


if __name__ == "__main__":
    main()
