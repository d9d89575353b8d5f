"""Run time of the fine-tuned MiniLM event-type encoder: party-marked sentences through an int8 ONNX model.

ONNX Runtime and the tokenizer only (no torch). Inputs are batched by token length so short
sentences are not padded to long ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from cablegram.coding.classifier_features import mark_parties

MAX_TOKENS = 96   # longer inputs are cut; the training sentences have at most 85 tokens
BATCH = 32


class EncoderClassifier:
    """Probabilities over the trained root labels from the fine-tuned encoder, one row per item."""

    def __init__(self, path: str | Path):
        from cablegram.nlp import load_onnx_classifier

        self.session, self.tokenizer = load_onnx_classifier(str(path), MAX_TOKENS)

    def probabilities(self, items: Sequence[tuple[str, str | None, str | None]]) -> np.ndarray:
        """Softmax of the encoder's logits for (sentence, source, target) items."""
        if not items:
            return np.zeros((0, 0))
        encs = self.tokenizer.encode_batch([mark_parties(t, s, g) for t, s, g in items])
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out = None
        for b in range(0, len(order), BATCH):
            idx = order[b:b + BATCH]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                ids[row, :len(encs[i].ids)] = encs[i].ids
                mask[row, :len(encs[i].ids)] = 1
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            if out is None:
                out = np.zeros((len(items), logits.shape[1]), dtype=np.float64)
            z = logits - logits.max(axis=1, keepdims=True)
            e = np.exp(z)
            out[idx] = e / e.sum(axis=1, keepdims=True)
        return out
