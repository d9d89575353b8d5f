"""spaCy's dependency parser and entity recogniser, with the same weights and the same moves, stepped from Python.

spaCy 3.8's compiled greedy decoder checks which moves are valid with the interpreter lock released, and
its state accessors take the lock back on every check: for the entity recogniser that is about half of its
time. Called with the lock held, the same checks cost next to nothing. So this decoder scores the states
with the component's own weights in the compiled decoder's order of arithmetic (the precomputed features
summed one after another, the bias, maxout, the output layer through the same BLAS call, the bias), and
lets the component's own `transition_states` check, pick and apply each move. The annotations are the
component's (tests/test_greedy_decoder.py compares them with spaCy's own decoder on news text).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np


def _decodable(component) -> bool:
    """A greedy transition-based component whose model has the layout this decoder reproduces."""
    from spacy.pipeline.transition_parser import Parser

    if not isinstance(component, Parser) or component.cfg.get("beam_width", 1) != 1:
        return False
    model = component.model
    return (model.attrs.get("has_upper") is True and len(model.layers) == 3
            and model.layers[1].has_dim("nP") and model.layers[1].get_dim("nP") >= 2)


class GreedyDecoder:
    """Stands in for a parser or entity recogniser in the pipeline: predicts with its own `predict` and
    leaves everything else (labels, annotations, error handling, attributes) to the component."""

    PART = 64  # spaCy's own decoder takes a quarter of the batch: 250 documents at nlp.pipe's default

    def __init__(self, component):
        self.component = component

    def __getattr__(self, name: str):
        return getattr(self.component, name)

    def __call__(self, doc):
        self.component.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs, *, batch_size: int = 256):
        """Annotate `docs` in order, in batches of `batch_size`, each decoded in parts of at most PART
        documents of similar length: few wasted steps, and a bound on the precomputed features held at once."""
        from spacy.util import minibatch

        error_handler = self.component.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            batch = list(batch)
            try:
                for part in minibatch(sorted(batch, key=len), size=self.PART):
                    self.component.set_annotations(part, self.predict(part))
            except Exception as exc:  # the component's handler decides, as in spaCy's own pipe
                error_handler(self.component.name, self.component, batch, exc)
            yield from batch

    def predict(self, docs) -> list:
        """The final parse states of `docs`: score every unfinished state, apply its best valid move, repeat."""
        from spacy.ml.parser_model import ParserStepModel

        component = self.component
        states = component.moves.init_batch(docs)
        if not any(len(doc) for doc in docs):
            return states
        component._ensure_labels_are_added(docs)
        tok2vec, lower, upper = component.model.layers
        cached = np.ascontiguousarray(lower.predict(tok2vec.predict(docs)))
        rows, n_feats, n_hidden, n_pieces = cached.shape
        cached = cached.reshape(rows, n_feats, n_hidden * n_pieces)  # row 0 is the padding for "no token"
        bias = lower.get_param("b").reshape(n_hidden * n_pieces)
        weights, out_bias = upper.get_param("W"), upper.get_param("b")
        unseen = sorted(component.model.attrs["unseen_classes"])
        features = np.arange(n_feats)
        holder = SimpleNamespace(state2vec=SimpleNamespace(nF=n_feats))
        gemm = upper.ops.gemm
        todo = [state for state in states if not state.is_final()]
        while todo:
            picked = cached[ParserStepModel.get_token_ids(holder, todo) + 1, features]
            summed = picked[:, 0].copy()
            for f in range(1, n_feats):
                summed += picked[:, f]
            summed += bias
            scores = gemm(summed.reshape(len(todo), n_hidden, n_pieces).max(axis=2), weights, trans2=True)
            scores += out_bias
            if unseen:
                scores[:, unseen] = scores.min()
            todo = component.transition_states(todo, scores)
        return states


def install_greedy_decoders(nlp) -> None:
    """Put a GreedyDecoder in front of each parser and entity recogniser of `nlp` it can reproduce."""
    nlp._components = [(name, GreedyDecoder(component) if _decodable(component) else component)
                       for name, component in nlp._components]
