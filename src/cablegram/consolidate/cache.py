"""Parses and embeddings consolidation needs, computed once per clause or phrase: shared between merging
and issue finding in one run, and kept by the store between runs so each ingest embeds only new text."""

from __future__ import annotations

from typing import Callable

import numpy as np

Key = tuple[str, "str | None"]  # (sentence, trigger word)


class WordingCache:
    """Trigger clauses with their content phrases, and MiniLM vectors of texts; `fresh_*` hold what this
    run added (for the store to save). `lookup_clauses` and `lookup_vectors`, when given, fetch saved entries
    on demand (the store's), so a block-by-block run holds only what its current block needs (`forget`)."""

    def __init__(self, clauses: dict[Key, tuple[str, list[str]]] | None = None,
                 vectors: dict[str, np.ndarray] | None = None,
                 lookup_clauses: Callable[[list[Key]], dict] | None = None,
                 lookup_vectors: Callable[[list[str]], dict] | None = None):
        self.clauses = dict(clauses or {})
        self.vectors = dict(vectors or {})
        self.fresh_clauses: dict[Key, tuple[str, list[str]]] = {}
        self.fresh_vectors: dict[str, np.ndarray] = {}
        self.lookup_clauses, self.lookup_vectors = lookup_clauses, lookup_vectors

    def forget(self) -> None:
        """Drop everything held in memory (call after the fresh entries were saved)."""
        for held in (self.clauses, self.vectors, self.fresh_clauses, self.fresh_vectors):
            held.clear()

    def clauses_for(self, keys: list[Key], nlp=None) -> dict[Key, tuple[str, list[str]]]:
        """(clause text, content phrases) per (sentence, trigger), parsing only unseen sentences."""
        from .phrases import mention_texts

        missing = [k for k in dict.fromkeys(keys) if k not in self.clauses]
        if missing and self.lookup_clauses is not None:
            self.clauses.update(self.lookup_clauses(missing))
            missing = [k for k in missing if k not in self.clauses]
        if missing:
            found = mention_texts(missing, nlp)
            self.clauses.update(found)
            self.fresh_clauses.update(found)
        return {k: self.clauses[k] for k in keys}

    def encode(self, texts: list[str], embedder=None) -> np.ndarray:
        """Unit MiniLM vectors of texts, embedding only unseen ones."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing and self.lookup_vectors is not None:
            self.vectors.update(self.lookup_vectors(missing))
            missing = [t for t in missing if t not in self.vectors]
        if missing:
            if embedder is None:
                from ..nlp import load_embedder
                embedder = load_embedder()
            for t, v in zip(missing, embedder.encode(missing)):
                self.vectors[t] = self.fresh_vectors[t] = v
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])
