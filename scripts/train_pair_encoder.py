"""Fine-tune the pair encoder (cablegram.extract.pair_encoder) on the extractor's candidate pairs: each pair of
each training sentence, with its act, marked in the sentence and labelled NONE or its event type (an event
whose type the source does not give may be any type). Needs the `train` extra; writes pair_encoder.onnx and
pair_encoder.json.

    python scripts/train_pair_encoder.py --data ../shared/data --reports eval/dev [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from cablegram.coding.classifier import load_classifier
from cablegram.coding.classifier_finetune import export_int8, finetune
from cablegram.coding.classifier_train import YIELD_TYPES
from cablegram.extract.model import WEIGHTS_DIR
from cablegram.extract.pair_encoder import MAX_TOKENS, NONE
from cablegram.extract.training import examples, listed_groups, read_items

SHARED_PAIRS = 3000           # pairs sampled from the shared data (all the reports' pairs are kept)
SHARED_EVENTS = 0.4           # the share of events among them
REPORT_WEIGHT = 2.0           # the project's reports tell events as the coder meets them
FROZEN = 3                    # of MiniLM's 6 layers, the lowest kept as pre-trained
EPOCHS = 2
MIX = 0.5                     # the encoder's share against the sparse models at run time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--reports", nargs="*", default=[])
    ap.add_argument("--out", default=str(WEIGHTS_DIR))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", help="a JSONL file of the labelled pairs: read if it exists, else written")
    ap.add_argument("--shared-pairs", type=int, default=SHARED_PAIRS)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--prepare", action="store_true", help="only write the cache")
    ap.add_argument("--exclude-groups", metavar="FILE", help="leave out the groups (rep:<doc>, plv<id>, ...) listed")
    args = ap.parse_args()
    t0 = time.time()
    cache = Path(args.cache) if args.cache else None
    if cache is not None and cache.exists():
        rows = [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    else:
        rows = [{"group": e.group, "text": e.marked, "label": e.label, "type": e.etype}
                for e in examples(read_items(args.data, args.reports))]
        if cache is not None:
            cache.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    if args.prepare:
        return
    excluded = listed_groups(args.exclude_groups)
    rows = [r for r in rows if r["group"] not in excluded]
    labels = [NONE, *load_classifier().labels]
    rng = np.random.default_rng(args.seed)
    chosen = [r for r in rows if r["group"].startswith("rep:")]
    for label, share in ((1, SHARED_EVENTS), (0, 1.0 - SHARED_EVENTS)):
        pool = [r for r in rows if r["label"] == label and not r["group"].startswith("rep:")]
        keep = min(len(pool), int(share * args.shared_pairs))
        chosen += [pool[i] for i in sorted(rng.choice(len(pool), keep, replace=False))]
    positives = [r for r in rows if r["label"]]
    allowed = np.zeros((len(chosen), len(labels)), dtype=bool)
    for n, r in enumerate(chosen):
        etype = YIELD_TYPES.get(r["type"], r["type"])
        if not r["label"]:
            allowed[n, 0] = True
        elif etype in labels:
            allowed[n, labels.index(etype)] = True
        else:
            allowed[n, 1:] = True
    weights = np.array([REPORT_WEIGHT if r["group"].startswith("rep:") else 1.0 for r in chosen])
    print(f"{len(rows)} pairs ({len(positives)} events); training on {len(chosen)}: "
          f"{Counter(labels[int(a.argmax())] if a.sum() == 1 else 'any type' for a in allowed).most_common()} "
          f"({time.time() - t0:.0f} s)", flush=True)
    net = finetune([r["text"] for r in chosen], [0] * len(chosen), weights, len(labels), seed=args.seed,
                   log=lambda m: print(m, f"({time.time() - t0:.0f} s)", flush=True), allowed=allowed,
                   frozen=FROZEN, epochs=args.epochs, max_tokens=MAX_TOKENS)
    out = Path(args.out)
    export_int8(net, out / "pair_encoder.onnx")
    (out / "pair_encoder.json").write_text(json.dumps(
        {"labels": labels, "weight": MIX, "seed": args.seed, "frozen_layers": FROZEN, "epochs": args.epochs,
         "shared_pairs": args.shared_pairs, "shared_events": SHARED_EVENTS, "report_weight": REPORT_WEIGHT,
         "trained_on": ["plv_train.tsv", "cameo_ner_train.txt", "cameo_class_train.tsv (label 0)", *args.reports],
         "pairs": len(chosen)}, indent=1), encoding="utf-8")
    print(f"wrote {out} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
