"""Final event typing: the trigger lexicon proposes a type, the trained classifier confirms or overrides it.

The lexicon knows the word; the classifier knows the whole sentence. A confident classifier overrides a plain
lexicon reading, but never a type set by a coding rule (negation -> REJECT, future -> AGREE/CONCEDE).
The classifier's slow stage (the encoder) runs only for events whose type it could still overturn; the
others take their confidence from the fast n-gram stage alone.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..models import Event

OVERRIDE_AT = 0.85  # classifier probability needed to overrule the lexicon; fixed before any evaluation


class EventTyper:
    """Scores events with the shipped classifier and sets their type and confidence."""

    def __init__(self, use_classifier: bool = True):
        self.classifier = None
        if use_classifier:
            from .classifier import load_classifier

            self.classifier = load_classifier()

    def assign(self, events: list[Event], ruled: list[bool]) -> None:
        """Type `events` in place; `ruled[i]` marks an event whose type a coding rule fixed."""
        if not events:
            return
        if self.classifier is None:
            for ev in events:
                ev.confidence = 0.5
            return
        items = [(ev.mentions[0].sentence, ev.actor.text, ev.recipient.text if ev.recipient else None)
                 for ev in events]
        deep = partial(self._may_override, events=events, ruled=ruled)
        for ev, fixed, pred in zip(events, ruled, self.classifier.predict(items, deep)):
            if not fixed and pred.event_type != ev.event_type and pred.confidence >= OVERRIDE_AT:
                ev.event_type, ev.mode = pred.event_type, None
            ev.confidence = 0.5 + 0.5 * pred.scores.get(ev.event_type, 0.0)

    def _may_override(self, fast: np.ndarray, events: list[Event], ruled: list[bool]) -> np.ndarray:
        """Which events the encoder could retype, from the n-gram stage's rows: not fixed by a rule, and some
        other label could reach OVERRIDE_AT with the encoder's help (YIELD counts as another label, whichever
        subtype it splits to)."""
        reach = self.classifier.reachable(fast)
        labels = np.asarray(self.classifier.labels)
        own = np.asarray([ev.event_type for ev in events])[:, None]
        other = (labels[None, :] != own) | (labels[None, :] == "YIELD")
        return ~np.asarray(ruled, dtype=bool) & ((reach >= OVERRIDE_AT) & other).any(axis=1)
