"""Event-type classifier: shipped weights on invented clear-cut sentences, the JSON-lines front end, determinism."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cablegram.coding.classifier import EventTypeClassifier, load_classifier
from cablegram.coding.classifier_features import make_views
from cablegram.coding.classifier_train import Item, train
from cablegram.coding.classifier_yield import yield_subtype
from cablegram.coding.classify_io import classify_lines
from cablegram.models import EVENT_TYPES
from cablegram.nlp import load_embedder

CLEAR_CUT = [
    ("The army shelled the border town overnight, killing four civilians.", "The army", "the border town", "ASSAULT"),
    ("The foreign minister accused the neighbouring government of funding the rebels.",
     "The foreign minister", "the neighbouring government", "ACCUSE"),
    ("Rebels released twenty hostages to the Red Cross on Sunday.", "Rebels", "the Red Cross", "RETREAT"),
    ("The prime minister met his counterpart in the capital to discuss the border dispute.",
     "The prime minister", "his counterpart", "CONSULT"),
    ("The government rejected the proposal from the union.", "The government", "the union", "REJECT"),
    ("The militia threatened to attack the city if talks fail.", "The militia", "the city", "THREATEN"),
    ("The country sent food and medicine to flood victims.", "The country", "flood victims", "AID"),
    ("Police arrested six opposition activists on Friday.", "Police", "six opposition activists", "COERCE"),
]


@pytest.fixture(scope="module")
def clf() -> EventTypeClassifier:
    return load_classifier()


@pytest.mark.parametrize("text,source,target,expected", CLEAR_CUT)
def test_clear_cut_sentences(clf, text, source, target, expected):
    assert clf.predict([(text, source, target)])[0].event_type == expected


def test_scores_cover_all_types_and_sum_to_one(clf):
    preds = clf.predict([(t, s, g) for t, s, g, _ in CLEAR_CUT] + [("The talks went on.", None, None)])
    for p in preds:
        assert set(p.scores) == set(EVENT_TYPES)
        assert sum(p.scores.values()) == pytest.approx(1.0, abs=1e-6)
        assert p.confidence == pytest.approx(p.scores[p.event_type])
        assert 0.0 < p.confidence <= 1.0


def test_missing_or_unfound_parties_still_classify(clf):
    text = "The army shelled the border town overnight, killing four civilians."
    for source, target in [(None, None), ("The army", None), ("nobody here", "nor here"), ("", "")]:
        assert clf.predict([(text, source, target)])[0].event_type == "ASSAULT"


def test_batch_equals_one_by_one_and_is_repeatable(clf):
    items = [(t, s, g) for t, s, g, _ in CLEAR_CUT]
    batch = clf.predict(items)
    single = [clf.predict([it])[0] for it in items]
    assert [p.event_type for p in batch] == [p.event_type for p in single]
    for a, b in zip(batch, clf.predict(items)):
        assert a.scores == b.scores
    assert clf.predict([]) == []


def test_window_lies_between_the_parties():
    views = make_views("The envoy sharply criticised the council yesterday.", "The envoy", "the council")
    assert "criticised" in views.window and "xsrcx" in views.sentence and "xtgtx" in views.sentence
    assert "envoy" not in views.sentence


def test_yield_rule_splits_material_from_promised():
    assert yield_subtype("The rebels freed the two journalists.")[0] == "RETREAT"
    assert yield_subtype("The general resigned after the scandal.")[0] == "RETREAT"
    assert yield_subtype("The government said it would withdraw its troops next year.")[0] == "CONCEDE"
    assert yield_subtype("The minister apologised for the remarks.")[0] == "CONCEDE"


def test_classify_lines_keeps_order_and_reports_errors():
    lines = [
        json.dumps({"text": "The army shelled the border town overnight.", "source": "The army",
                    "target": "the border town"}),
        "{not json",
        "",
        json.dumps({"text": "   ", "source": "x"}),
        json.dumps({"text": "Police arrested six opposition activists.", "source": 5}),
        json.dumps(["a list"]),
        json.dumps({"text": "The government rejected the proposal from the union.", "source": "The government"}),
    ]
    out = list(classify_lines(lines))
    assert len(out) == len(lines)
    assert out[0]["event_type"] == "ASSAULT"
    assert [o.get("line") for o in out[1:6]] == [2, 3, 4, 5, 6]
    assert all("error" in o for o in out[1:6])
    assert out[6]["event_type"] == "REJECT"
    assert sum(out[6]["scores"].values()) == pytest.approx(1.0, abs=1e-3)


def test_training_is_deterministic_for_a_seed():
    items = [Item(f"The {who} {verb} the {whom}.", f"The {who}", f"the {whom}", label)
             for who in ("army", "police", "government")
             for whom in ("rebels", "village", "protesters")
             for verb, label in (("attacked", "ASSAULT"), ("praised", "SUPPORT"), ("accused", "ACCUSE"))]
    codebook = [Item("Use conventional military force", None, None, "ASSAULT")]
    a = train(items, codebook, load_embedder(), seed=3)
    b = train(items, codebook, load_embedder(), seed=3)
    assert a["vocab"] == b["vocab"] and a["labels"] == b["labels"]
    for key in ("fast_coef", "full_sparse", "full_window", "full_bias"):
        assert np.array_equal(a[key], b[key])
    model = EventTypeClassifier(a, confident=0.99, embedder=load_embedder())
    assert model.predict([("The militia attacked the town.", "The militia", "the town")])[0].event_type == "ASSAULT"
