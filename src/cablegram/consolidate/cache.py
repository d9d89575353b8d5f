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
        self.asked_clauses: set[Key] = set()  # already asked of the lookups: not asked again
        self.asked_vectors: set[str] = set()

    def forget(self) -> None:
        """Drop everything held in memory (call after the fresh entries were saved)."""
        for held in (self.clauses, self.vectors, self.fresh_clauses, self.fresh_vectors, self.asked_clauses,
                     self.asked_vectors):
            held.clear()

    def prepare(self, keys: list[Key], clause_vectors: bool = True) -> None:
        """Hold in memory the clause and content phrases of each key and the vectors of both (of the phrases
        only without `clause_vectors`: issues need no more), for a batch of blocks or stories: saved ones
        fetched in a few queries, the rest parsed in one spaCy pass and embedded in one call, so the blocks
        that follow ask the store and the models nothing more. A text's vector is the same whichever batch
        embeds it (tests/test_merge.py), so batching changes no result."""
        found = self.clauses_for(list(dict.fromkeys(keys)))
        clauses = [c for c, _ in found.values()] if clause_vectors else []
        self._fill(list(dict.fromkeys(clauses + [p for _, ps in found.values() for p in ps])))

    def _look_clauses(self, keys: list[Key]) -> None:
        ask = [k for k in keys if k not in self.clauses and k not in self.asked_clauses]
        if ask and self.lookup_clauses is not None:
            self.clauses.update(self.lookup_clauses(ask))
            self.asked_clauses.update(ask)

    def _look_vectors(self, texts: list[str]) -> None:
        ask = [t for t in texts if t not in self.vectors and t not in self.asked_vectors]
        if ask and self.lookup_vectors is not None:
            self.vectors.update(self.lookup_vectors(ask))
            self.asked_vectors.update(ask)

    def clauses_for(self, keys: list[Key], nlp=None) -> dict[Key, tuple[str, list[str]]]:
        """(clause text, content phrases) per (sentence, trigger), parsing only unseen sentences."""
        from .phrases import mention_texts

        self._look_clauses(list(dict.fromkeys(keys)))
        missing = [k for k in dict.fromkeys(keys) if k not in self.clauses]
        if missing:
            found = mention_texts(missing, nlp)
            self.clauses.update(found)
            self.fresh_clauses.update(found)
        return {k: self.clauses[k] for k in keys}

    def encode(self, texts: list[str], embedder=None) -> np.ndarray:
        """Unit MiniLM vectors of texts, embedding only unseen ones."""
        self._fill(list(dict.fromkeys(texts)), embedder)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])

    def _fill(self, texts: list[str], embedder=None) -> None:
        """Have the vectors of these distinct texts: saved ones fetched, the others embedded in one call."""
        self._look_vectors(texts)
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            if embedder is None:
                from ..nlp import load_embedder
                embedder = load_embedder()
            for t, v in zip(missing, embedder.encode(missing)):
                self.vectors[t] = self.fresh_vectors[t] = v
