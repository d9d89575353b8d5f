"""Event typing: the encoder runs only for events whose type it could still change, and skipping it never
changes a type."""

from __future__ import annotations

import numpy as np

from cablegram.coding.classifier import classifier_from, load_classifier, WEIGHTS_DIR
from cablegram.coding.typing import OVERRIDE_AT, EventTyper
from cablegram.models import Event, Mention, Party

# (sentence, actor words, recipient words, the type a trigger word might have proposed), written for this test
SENTENCES = [
    ("The border guards fired on the smugglers' boats overnight.", "The border guards", "the smugglers", "ASSAULT"),
    ("The minister said the two delegations would talk again in spring.", "the two delegations", None, "CONSULT"),
    ("Farmers blocked the motorway to protest against the new fuel tax.", "Farmers", None, "PROTEST"),
    ("The council welcomed the offer and thanked the donors.", "The council", "the donors", "SUPPORT"),
    ("The union accused the ministry of ignoring the safety report.", "The union", "the ministry", "ACCUSE"),
    ("Officials agreed to reopen the crossing for trucks.", "Officials", None, "AGREE"),
    ("The government met the rebels' envoy in a hotel by the lake.", "The government", "the rebels' envoy", "CONSULT"),
    ("The embassy asked the host country to return the seized files.", "The embassy", "the host country", "REQUEST"),
]


def _events() -> list[Event]:
    return [Event(event_type=proposed, actor=Party(actor), recipient=Party(target) if target else None,
                  mentions=[Mention(doc_id="t", sentence=text, start=0, end=len(text))])
            for text, actor, target, proposed in SENTENCES]


def _typer(mix: float) -> EventTyper:
    typer = EventTyper(use_classifier=False)
    typer.classifier = classifier_from(WEIGHTS_DIR)
    typer.classifier.mix = mix
    return typer


def test_shipped_thresholds_leave_the_encoder_nothing_to_decide():
    shipped = load_classifier()
    rows = np.random.default_rng(0).dirichlet(np.ones(len(shipped.labels)) * 0.3, size=2000)
    unsure = rows.max(axis=1) < shipped.confident
    assert unsure.any()
    assert (shipped.reachable(rows)[unsure].max(axis=1) < OVERRIDE_AT).all()
    typer = _typer(shipped.mix)
    typer.assign(_events(), [False] * len(SENTENCES))
    assert typer.classifier.encoded_items == 0


def test_encoder_runs_only_where_it_could_retype_and_skipping_it_changes_no_type():
    typer = _typer(0.95)  # a strong encoder weight: now it can overturn the lexicon
    ruled = [i % 3 == 0 for i in range(len(SENTENCES))]
    events = _events()
    items = [(e.mentions[0].sentence, e.actor.text, e.recipient.text if e.recipient else None) for e in events]
    fast = typer.classifier.fast_probabilities(items)
    chosen = typer._may_override(fast, events, ruled)
    assert not chosen[ruled].any()
    assert chosen.any()
    full = typer.classifier.predict(items)  # the encoder on every unsure item
    for ev, fixed, pick, pred in zip(events, ruled, chosen, full):
        overturned = not fixed and pred.event_type != ev.event_type and pred.confidence >= OVERRIDE_AT
        assert pick or not overturned
    typed = _events()
    typer.classifier.encoded_items = 0
    typer.assign(typed, ruled)
    assert typer.classifier.encoded_items == int((chosen & (fast.max(axis=1) < typer.classifier.confident)).sum())
    for ev, fixed, pred, out in zip(events, ruled, full, typed):
        overturned = not fixed and pred.event_type != ev.event_type and pred.confidence >= OVERRIDE_AT
        assert out.event_type == (pred.event_type if overturned else ev.event_type)
