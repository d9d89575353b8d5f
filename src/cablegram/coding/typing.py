"""Final event typing: the trigger lexicon proposes a type, the trained classifier confirms or overrides it.

The lexicon knows the word; the classifier knows the whole sentence. A confident classifier overrides a plain
lexicon reading, but never a type set by a coding rule (negation -> REJECT, future -> AGREE/CONCEDE).
"""

from __future__ import annotations

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
        for ev, fixed, pred in zip(events, ruled, self.classifier.predict(items)):
            if not fixed and pred.event_type != ev.event_type and pred.confidence >= OVERRIDE_AT:
                ev.event_type, ev.mode = pred.event_type, None
            ev.confidence = 0.5 + 0.5 * pred.scores.get(ev.event_type, 0.0)
