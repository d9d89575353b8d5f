"""Honest dev figures for the learned coder: the dev reports are split in two halves by file name; the pair
model is trained on the shared data plus one half and the coder scored on the other, then the other way round.

    python scripts/crossfit_extractor.py eval/dev [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cablegram.documents import iter_documents
from cablegram.evaluate import breakdown
from cablegram.extract import coder as coder_module
from cablegram.extract import model as model_module
from cablegram.extract.coder import LearnedCoder
from cablegram.extract.pair_encoder import PairEncoder
from cablegram.models import Document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--recipient-threshold", type=float, default=None)
    ap.add_argument("--report-weight", type=float, default=None)
    ap.add_argument("--lexicon-prior", type=float, default=None)
    ap.add_argument("--type-weight", type=float, default=None, help="the type model's share in typing")
    ap.add_argument("--dump", help="write the coded events (JSONL) here")
    ap.add_argument("--folds", type=int, default=2, help="1: train on the first half and score the second only")
    ap.add_argument("--pair-encoders", nargs="*", default=[],
                    help="per fold, a folder holding a pair encoder trained without that fold's scored half")
    ap.add_argument("--encoder-weight", type=float, default=None, help="the pair encoder's share")
    args = ap.parse_args()
    if args.lexicon_prior is not None:
        coder_module.LEXICON_PRIOR = args.lexicon_prior
    if args.type_weight is not None:
        coder_module.TYPE_MODEL_WEIGHT = args.type_weight
    dev = Path(args.dev)
    gold = [json.loads(line) for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
    files = sorted(dev.glob("*.txt"))
    halves = [files[0::2], files[1::2]]
    predicted, scored_gold = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (train, test) in enumerate([(halves[0], halves[1]), (halves[1], halves[0])][:args.folds]):
            part = Path(tmp) / f"part{n}"
            part.mkdir()
            for f in train:
                shutil.copy(f, part)
            ids = {f.stem for f in train}
            (part / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold if g["doc_id"] in ids),
                                             encoding="utf-8")
            out = Path(tmp) / f"model{n}"
            cmd = [sys.executable, "scripts/train_extractor.py", "--data", args.data, "--reports", str(part),
                   "--out", str(out), "--no-cv"]
            if args.threshold is not None:
                cmd += ["--threshold", str(args.threshold)]
            if args.report_weight is not None:
                cmd += ["--report-weight", str(args.report_weight)]
            if args.recipient_threshold is not None:
                cmd += ["--recipient-threshold", str(args.recipient_threshold)]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            coder = LearnedCoder()
            coder.pair_model = model_module.read_pair_model(out)
            coder.type_model = model_module.read_type_model(out)
            coder.pair_encoder = PairEncoder(args.pair_encoders[n]) if n < len(args.pair_encoders) else None
            if coder.pair_encoder is not None and args.encoder_weight is not None:
                coder.pair_encoder.weight = args.encoder_weight
            docs = [d for d in iter_documents([str(f) for f in test]) if isinstance(d, Document)]
            predicted += [e.to_dict() for d in docs for e in coder.code(d)]
            test_ids = {f.stem for f in test}
            scored_gold += [g for g in gold if g["doc_id"] in test_ids]
    if args.dump:
        Path(args.dump).write_text("".join(json.dumps(e) + "\n" for e in predicted), encoding="utf-8")
    figures = breakdown(predicted, scored_gold)
    for name in ("full", "type", "parties"):
        print(f"{name:8s} precision {figures[name][0]:.2f} recall {figures[name][1]:.2f}")
    print("per type (gold, coded, matched): " + ", ".join(f"{t} {g}/{c}/{m}" for t, (g, c, m)
                                                          in figures["per_type"].items()))
    print("missed by cause:", figures["miss_causes"])


if __name__ == "__main__":
    main()
