"""Model loading and the spaCy speed-ups: `load.py` is the one place models load; `attribute_matcher.py`
and `greedy_decoder.py` make the pipeline faster with the same annotations."""

from .load import (SPACY_MODELS, Embedder, ModelMissing, load_embedder, load_onnx_classifier, load_spacy,
                   minilm_tokenizer, onnx_session, threads)

__all__ = ["SPACY_MODELS", "Embedder", "ModelMissing", "load_embedder", "load_onnx_classifier", "load_spacy",
           "minilm_tokenizer", "onnx_session", "threads"]
