"""Run time of the fine-tuned MiniLM event-type encoder: party-marked sentences through an int8 ONNX model.

ONNX Runtime and the tokenizer only (no torch). Each input runs alone: the int8 model quantises its
activations with one scale per run, so in a batch a sentence's probabilities would depend on the other
sentences beside it (up to 0.58 apart, 18 of 216 dev sentences changing type), and one by one is as fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from cablegram.coding.classifier_features import mark_parties

MAX_TOKENS = 96   # longer inputs are cut; the training sentences have at most 85 tokens


class EncoderClassifier:
    """Probabilities over the trained root labels from the fine-tuned encoder, one row per item."""

    def __init__(self, path: str | Path):
        from cablegram.nlp import load_onnx_classifier

        self.session, self.tokenizer = load_onnx_classifier(str(path), MAX_TOKENS)

    def probabilities(self, items: Sequence[tuple[str, str | None, str | None]]) -> np.ndarray:
        """Softmax of the encoder's logits for (sentence, source, target) items."""
        if not items:
            return np.zeros((0, 0))
        return softmax_one_by_one(self.session, self.tokenizer, [mark_parties(t, s, g) for t, s, g in items])


def softmax_one_by_one(session, tokenizer, texts: Sequence[str]) -> np.ndarray:
    """Softmax of an ONNX text classifier's logits for each text, each text run alone (see above why)."""
    rows = []
    for enc in tokenizer.encode_batch(list(texts)):
        ids = np.asarray([enc.ids], dtype=np.int64)
        logits = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        e = np.exp(logits - logits.max())
        rows.append(e / e.sum())
    return np.asarray(rows, dtype=np.float64)
