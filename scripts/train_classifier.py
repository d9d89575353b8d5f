"""Train the PLOVER event-type classifier and write its weights (default: src/cablegram/data/classifier/).

Writes classifier.npz + meta.json (n-gram model) and encoder.onnx (fine-tuned MiniLM, int8); needs the
`train` extra (pip install -e '.[train]'). Takes about 10-15 minutes on two cores.

Usage: python scripts/train_classifier.py --data ../shared/data/plv_train.tsv [--seed N] [--out DIR]
The CAMEO-to-PLOVER table is read from cameo2plover.txt next to the data file.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from cablegram.coding.classifier import WEIGHTS_DIR  # noqa: E402
from cablegram.coding.classifier_train import read_codebook, read_tsv, save, train, train_encoder  # noqa: E402


def main() -> None:
    """Parse arguments, train on the whole file, save the arrays."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(WEIGHTS_DIR))
    args = ap.parse_args()
    items = read_tsv(args.data)
    codebook = read_codebook(Path(args.data).with_name("cameo2plover.txt"))
    model = train(items, codebook, seed=args.seed)
    save(model, args.out)
    print(f"n-gram model: {len(items)} sentences + {len(codebook)} codebook lines, {len(model['vocab'])} n-grams",
          flush=True)
    train_encoder(items, codebook, model["labels"], Path(args.out) / "encoder.onnx", seed=args.seed,
                  log=lambda line: print("encoder", line, flush=True))
    print(f"weights in {args.out}")


if __name__ == "__main__":
    main()
