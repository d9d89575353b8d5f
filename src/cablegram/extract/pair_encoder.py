"""The pair encoder: MiniLM fine-tuned on sentences with one candidate pair and its act marked, reading whether
the sentence states an event by the first party (towards the second) at that act, and of which type. It sees
the whole sentence, which the sparse pair model's features only sample. Int8 ONNX, run one input at a time
(see coding/classifier_encoder.py for why)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from spacy.tokens import Span, Token

from ..coding.classifier_encoder import softmax_one_by_one
from .candidates import Mention
from .model import WEIGHTS_DIR

NONE = "NONE"  # the label of a pair that is no event
MAX_TOKENS = 128


def marked_text(sent: Span, a: Mention, b: Mention | None, act: Token | None) -> str:
    """The sentence with the doer wrapped in '@ … @', the target in '# … #' and the act's word in '[ … ]'
    (the act is left unmarked where it lies inside a party's words)."""
    marks = [(a.span.start_char, a.span.end_char, "@")]
    if b is not None and not _overlaps(b.span, a.span):
        marks.append((b.span.start_char, b.span.end_char, "#"))
    if act is not None and not any(s <= act.idx < e for s, e, _ in marks):
        marks.append((act.idx, act.idx + len(act.text), "["))
    base, text, out, last = sent.start_char, sent.text, [], 0
    for s, e, mark in sorted(marks):
        s, e = s - base, e - base
        out.append(f"{text[last:s]}{mark} {text[s:e]} {']' if mark == '[' else mark}")
        last = e
    out.append(text[last:])
    return "".join(out)


def _overlaps(x: Span, y: Span) -> bool:
    return x.start < y.end and y.start < x.end


class PairEncoder:
    """P(event) and type probabilities for marked pairs; `labels` are NONE then the trained types."""

    def __init__(self, directory: str | Path):
        from ..nlp import load_onnx_classifier

        directory = Path(directory)
        meta = json.loads((directory / "pair_encoder.json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.weight: float = float(meta.get("weight", 0.5))
        self.session, self.tokenizer = load_onnx_classifier(str(directory / "pair_encoder.onnx"), MAX_TOKENS)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Softmax over `labels` for each marked text."""
        rows = softmax_one_by_one(self.session, self.tokenizer, texts)
        return rows.reshape(len(texts), len(self.labels))

    def event_and_types(self, texts: Sequence[str], type_labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """P(event) per text, and the type probabilities given an event, columns in `type_labels` order."""
        p = self.probabilities(texts)
        event = 1.0 - p[:, 0]
        types = np.zeros((len(texts), len(type_labels)))
        for j, label in enumerate(self.labels[1:], start=1):
            if label in type_labels:
                types[:, list(type_labels).index(label)] = p[:, j]
        types /= np.clip(types.sum(axis=1, keepdims=True), 1e-9, None)
        return event, types


@lru_cache(maxsize=1)
def load_pair_encoder() -> PairEncoder | None:
    """The shipped pair encoder, loaded once per process; None where none ships."""
    return PairEncoder(WEIGHTS_DIR) if (WEIGHTS_DIR / "pair_encoder.onnx").exists() else None
