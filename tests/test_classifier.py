"""Event-type classifier: shipped weights on invented clear-cut sentences, the JSON-lines front end, determinism.

The sentences here are the project's own. Fine-tuning needs the `train` extra (torch); its test is skipped
where torch is not installed (the run-time install is torch-free)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cablegram.coding.classifier import WEIGHTS_DIR, EventTypeClassifier, classifier_from, load_classifier
from cablegram.coding.classifier_encoder import EncoderClassifier
from cablegram.coding.classifier_features import make_views, mark_parties
from cablegram.coding.classifier_train import Item, train
from cablegram.coding.classifier_yield import yield_subtype
from cablegram.coding.classify_io import classify_lines
from cablegram.models import EVENT_TYPES

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


def _toy_items() -> list[Item]:
    return [Item(f"The {who} {verb} the {whom}.", f"The {who}", f"the {whom}", label)
            for who in ("army", "police", "government")
            for whom in ("rebels", "village", "protesters")
            for verb, label in (("attacked", "ASSAULT"), ("praised", "SUPPORT"), ("accused", "ACCUSE"))]


def test_training_is_deterministic_for_a_seed():
    codebook = [Item("Use conventional military force", None, None, "ASSAULT")]
    a = train(_toy_items(), codebook, seed=3)
    b = train(_toy_items(), codebook, seed=3)
    assert a["vocab"] == b["vocab"] and a["labels"] == b["labels"] == ["ACCUSE", "ASSAULT", "SUPPORT"]
    for key in ("idf", "fast_coef", "fast_bias"):
        assert np.array_equal(a[key], b[key])
    model = EventTypeClassifier(a, confident=0.0, mix=0.5, encoder_path=WEIGHTS_DIR / "encoder.onnx")
    assert model.predict([("The militia attacked the town.", "The militia", "the town")])[0].event_type == "ASSAULT"
    assert model.encoded_items == 0


def test_parties_are_marked_for_the_encoder():
    assert mark_parties("The envoy criticised the council.", "The envoy", "the council") == \
        "@ The envoy @ criticised # the council #."
    assert mark_parties("The council was criticised by the envoy.", "the envoy", None) == \
        "The council was criticised by @ the envoy @."
    assert mark_parties("Nothing here.", "absent", "") == "Nothing here."


def test_encoder_runs_where_the_ngram_model_is_unsure():
    items = [(t, s, g) for t, s, g, _ in CLEAR_CUT]
    always = classifier_from(WEIGHTS_DIR)
    always.confident = 1.01
    preds = always.predict(items)
    assert always.encoded_items == len(items)
    assert [p.event_type for p in preds] == [expected for *_, expected in CLEAR_CUT]
    deep = EncoderClassifier(WEIGHTS_DIR / "encoder.onnx").probabilities(items)
    assert deep.shape == (len(items), len(always.labels))
    assert np.allclose(deep.sum(axis=1), 1.0, atol=1e-5)
    assert np.allclose(deep, EncoderClassifier(WEIGHTS_DIR / "encoder.onnx").probabilities(items[::-1])[::-1], atol=1e-5)
    alone = np.vstack([EncoderClassifier(WEIGHTS_DIR / "encoder.onnx").probabilities([item]) for item in items])
    assert np.allclose(deep, alone, atol=1e-6)  # a sentence's type does not depend on the sentences beside it


def test_finetuning_is_deterministic_for_a_seed(tmp_path):
    pytest.importorskip("torch")
    from cablegram.coding.classifier_train import train_encoder

    labels = ["ACCUSE", "ASSAULT", "SUPPORT"]
    for name in ("a.onnx", "b.onnx"):
        train_encoder(_toy_items(), [], labels, tmp_path / name, seed=1)
    assert (tmp_path / "a.onnx").read_bytes() == (tmp_path / "b.onnx").read_bytes()
    probs = EncoderClassifier(tmp_path / "a.onnx").probabilities([("The militia attacked the town.", "The militia",
                                                                   "the town")])
    assert probs.shape == (1, 3)
