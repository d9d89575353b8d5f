"""The learned extractor: candidate parties, pair features, the pair decision, the training readers, and
the learned coder end to end, on sentences written for these tests and the real spaCy model."""

from __future__ import annotations

import json

import pytest

from cablegram.actors import ActorMemory, load_resolver
from cablegram.coding.classifier import WEIGHTS_DIR as CLASSIFIER_DIR
from cablegram.coding.classifier import classifier_from
from cablegram.evaluate import breakdown, miss_cause
from cablegram.extract.acts import acts, clause_text
from cablegram.extract.anaphora import antecedent, wanted_kind
from cablegram.extract.candidates import find_mentions, pairs, with_list_mates
from cablegram.extract.coder import LearnedCoder, choose_pairs
from cablegram.extract.features import pair_features, predicate
from cablegram.extract.pair_encoder import NONE, load_pair_encoder, marked_text
from cablegram.extract.refer_back import referred_object
from cablegram.extract.training import _aligned, _from_tags, _label, read_plover
from cablegram.models import Document
from cablegram.nlp import load_spacy


def _mentions(text: str):
    doc = load_spacy()(text)
    memory = ActorMemory()
    resolver = load_resolver()
    resolver.scan_document(doc, memory)
    sent = next(doc.sents)
    return find_mentions(sent, lambda tok, span: resolver.resolve(span, memory))


def test_coordinated_parties_are_separate_mentions_and_a_titled_phrase_is_one():
    ms = _mentions("Norway, Ireland and Spain recognised a Palestinian state on Tuesday.")
    assert [m.key for m in ms][:3] == ["NOR", "IRL", "ESP"]
    ms = _mentions("Brazil's foreign minister met the Chilean president in Santiago.")
    assert [m.key for m in ms if m.head.dep_ != "pobj"] == ["BRA", "CHL"]


def test_pairs_are_ordered_and_never_join_one_side_to_itself():
    ms = _mentions("Norway and Norway's king thanked Spain.")
    got = [(a.key, b.key if b else None) for a, b in pairs(ms)]
    assert ("NOR", "ESP") in got and ("ESP", "NOR") in got and ("NOR", None) in got
    assert all(a != b for a, b in got)


def test_features_say_who_is_subject_and_object():
    ms = _mentions("Ghana expelled two Togolese diplomats on Friday.")
    gha, tgo = ms[0], ms[1]
    feats = pair_features(gha, tgo)
    assert "ad=nsubj" in feats and "bd=dobj" in feats and "lca=expel" in feats
    assert "ad=dobj" in pair_features(tgo, gha)


def test_the_predicate_of_a_reported_act_is_the_reported_verb():
    ms = _mentions("Peru said it would suspend its trade talks with Bolivia.")
    peru, bolivia = [m for m in ms if m.key in ("PER", "BOL")]
    assert predicate(peru, bolivia).lemma_ == "suspend"


class _M:
    """A stand-in mention for the decision rule: only its key and head position matter."""

    def __init__(self, key, i):
        self.key = key
        self.head = type("H", (), {"i": i, "conjuncts": ()})()
        self.span = None
        self.partner = None


def test_choose_pairs_takes_the_likely_recipient_of_an_acting_side(monkeypatch):
    import cablegram.extract.coder as coder

    monkeypatch.setattr(coder, "predicate", lambda a, b: type("T", (), {"i": 0})())
    a, b, c = _M("AAA", 0), _M("BBB", 3), _M("CCC", 6)
    scored = [(0.9, a, None), (0.3, a, b), (0.1, a, c), (0.2, b, None), (0.05, b, a)]
    chosen = choose_pairs(scored, threshold=0.5, recipient_threshold=0.15)
    assert [(p, x.key, y.key if y else None) for p, x, y in chosen] == [(0.3, "AAA", "BBB")]
    chosen = choose_pairs(scored, threshold=0.5, recipient_threshold=0.35)
    assert [(x.key, y) for _, x, y in chosen] == [("AAA", None)]
    assert choose_pairs(scored, threshold=0.95, recipient_threshold=0.15) == []


def test_plover_reader_and_tag_reader_find_the_marked_spans(tmp_path):
    path = tmp_path / "plv.tsv"
    path.write_text("\tsentence_id\tmarked_sentence\tgold_root\n"
                    "0\t7\t<s>Chile</s> praised <t>Peru</t> warmly.\tSUPPORT\n", encoding="utf-8")
    [item] = read_plover(path)
    assert item.text == "Chile praised Peru warmly."
    assert item.text[slice(*item.sources[0])] == "Chile" and item.text[slice(*item.targets[0])] == "Peru"
    tagged = _from_tags("x", [("The", "B-S"), ("army", "I-S"), ("shelled", "O"), ("Goma", "B-T"), (".", "O")])
    assert tagged.text[slice(*tagged.sources[0])] == "The army"
    assert tagged.text[slice(*tagged.targets[0])] == "Goma"


def test_labels_from_spans_keep_direction_and_allow_symmetric_reversal(tmp_path):
    path = tmp_path / "plv.tsv"
    path.write_text("\tsentence_id\tmarked_sentence\tgold_root\n"
                    "0\t1\t<s>Chile</s> criticised <t>Peru</t> sharply.\tACCUSE\n"
                    "1\t2\t<s>Chile</s> met <t>Peru</t> on Monday.\tCONSULT\n", encoding="utf-8")
    accuse, consult = read_plover(path)
    for item, reverse_ok in ((accuse, 0), (consult, 1)):
        doc = load_spacy()(item.text)
        chile, peru = [t for t in doc if t.text in ("Chile", "Peru")]
        m = lambda tok: type("M", (), {"head": tok})()  # noqa: E731
        assert _label(m(chile), m(peru), item) == (1, item.etype)
        assert _label(m(peru), m(chile), item)[0] == reverse_ok
        assert _label(m(chile), None, item) == (1, None)


def test_learned_coder_codes_parties_with_countries_and_offsets_into_the_original():
    text = ("LIMA, March 4 (Andes Courier) - Peru's foreign minister met his Bolivian counterpart in La Paz on "
            "Monday.  Peru later expelled two Bolivian diplomats, the ministry said.")
    doc = Document(id="t1", text=text, feed_date="2024-03-04")
    events = LearnedCoder().code(doc)
    assert events, "the coder found nothing in two plain event sentences"
    for ev in events:
        assert ev.actor.country in ("PER", "BOL")
        for m in ev.mentions:
            assert text[m.start:m.end] == m.sentence


def test_miss_causes_and_breakdown_count_each_coded_event_once():
    gold = [{"doc_id": "d", "event_type": "ACCUSE", "actor": "AAA", "recipient": "BBB", "date": None},
            {"doc_id": "d", "event_type": "SANCTION", "actor": "AAA", "recipient": "BBB", "date": None}]
    coded = {"event_type": "REJECT", "actor": {"country": "AAA"}, "recipient": {"country": "BBB"},
             "date": None, "status": "occurred", "mentions": [{"doc_id": "d", "sentence": "s"}]}
    spurious = [{"doc_id": "d", "event_type": "REJECT", "actor": "AAA", "recipient": "BBB"}]
    assert [miss_cause(g, spurious) for g in gold] == ["type", "detection"]
    b = breakdown([coded], gold)
    assert b["full"] == (0.0, 0.0) and b["parties"] == (1.0, 0.5) and b["miss_causes"] == {"type": 1, "detection": 1}
    assert json.dumps(b)


def test_the_learned_coder_gives_the_same_events_whatever_the_hash_seed():
    """Two dev reports whose events once came out in an order (and with recipients) that followed Python's
    string hashing, which changes from run to run."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    reports = [str(Path(__file__).parent.parent / "eval" / "dev" / name)
               for name in ("da12_venezuela_guyana_argyle.txt", "db08_georgia_agents_law.txt")]
    script = ("import sys\n"
              "from cablegram.documents import iter_documents\n"
              "from cablegram.extract.coder import LearnedCoder\n"
              "coder = LearnedCoder()\n"
              "for doc in iter_documents(sys.argv[1:]):\n"
              "    print(doc.id, [(e.id, e.recipient.country if e.recipient else None) for e in coder.code(doc)])\n")
    outs = {subprocess.run([sys.executable, "-c", script, *reports], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1 and next(iter(outs)).count("ev_") > 2


def test_a_sentence_of_several_acts_gives_each_act_its_own_clause():
    doc = load_spacy()("On Monday Chile condemned the shelling, recalled its envoy from Lima and called off "
                       "a trade mission, saying the talks were over.")
    root = next(doc.sents).root
    found = acts(root)
    assert [t.lemma_ for t in found] == ["condemn", "recall", "call"]
    assert clause_text(found[1], "Chile") == "Chile recalled its envoy from Lima"
    assert "recalled" not in clause_text(found[0], "Chile")


def test_a_verb_that_only_reports_is_not_an_act_but_recalling_an_envoy_is():
    doc = load_spacy()("Kenya recalled its ambassador and said that talks would resume.")
    assert [t.lemma_ for t in acts(next(doc.sents).root)] == ["recall"]


def test_doers_named_together_share_the_verb_as_predicate():
    ms = _mentions("Brazil and Colombia condemned the raid on Saturday.")
    bra, col = [m for m in ms if m.key in ("BRA", "COL")]
    assert predicate(bra, col).lemma_ == "condemn"


def test_an_object_that_points_back_takes_the_doers_of_the_act_it_names():
    text = ("QUITO, April 7 (Andes Courier) - Ecuadorian police raided Mexico's embassy in Quito on Friday. "
            "Brazil and Colombia condemned the raid on Saturday.")
    events = LearnedCoder().code(Document(id="t2", text=text, feed_date="2024-04-07"))
    later = {(e.actor.country, e.recipient.country if e.recipient else None) for e in events
             if e.mentions[0].sentence.startswith("Brazil")}
    assert later and all(r == "ECU" for _, r in later), later
    assert {"BRA", "COL"} >= {a for a, _ in later}


def test_referred_object_needs_a_definite_noun_or_a_pronoun():
    doc = load_spacy()("Peru welcomed the decision. Peru welcomed a decision. Peru welcomed it.")
    verbs = [t for t in doc if t.lemma_ == "welcome"]
    assert [referred_object(v) is not None for v in verbs] == [True, False, True]


def test_gold_events_of_one_pair_go_to_the_acts_the_lexicon_reads_as_their_types():
    doc = load_spacy()("Chile condemned the shelling, recalled its envoy from Lima and praised the mediators.")
    found = acts(next(doc.sents).root)
    got = {t.lemma_: (label, etype) for t, label, etype in _aligned(found, ["SANCTION", "ACCUSE"])}
    assert got["recall"] == (1, "SANCTION") and got["condemn"] == (1, "ACCUSE") and got["praise"] == (0, None)


def test_a_list_of_doers_is_one_side_but_a_list_of_talkers_still_pairs():
    doers = _mentions("Poland, Hungary and Slovakia imposed bans on Ukrainian grain.")
    got = {(a.key, b.key if b else None) for a, b in pairs(doers)}
    assert ("POL", "HUN") not in got and ("POL", "UKR") in got
    talks = _mentions("Norway hosted talks between Colombia and Venezuela.")
    got = {(a.key, b.key if b else None) for a, b in pairs(talks)}
    assert ("COL", "VEN") in got


def test_a_pronoun_or_generic_doer_is_the_party_of_its_kind_named_just_before():
    doc = load_spacy()("China imposed tariffs on Australian wine in 2020. It has since lifted them. "
                       "Leaders of the Economic Community of West African States met Niger's envoys. "
                       "The bloc later warned Niger.")
    resolver = load_resolver()
    resolve = lambda span: resolver.resolve(span, ActorMemory())  # noqa: E731
    it = next(t for t in doc if t.text == "It")
    bloc = next(t for t in doc if t.text == "bloc")
    assert wanted_kind(it) == "state" and antecedent(it, "state", resolve).country == "CHN"
    assert wanted_kind(bloc) == "bloc" and antecedent(bloc, "bloc", resolve).country == "ECOWAS"
    assert wanted_kind(next(t for t in doc if t.text == "wine")) is None


def test_a_listed_doer_or_target_gets_an_event_of_its_own():
    ms = _mentions("The junta refused to receive a mission of Kenya, Ghana and Senegal.")
    kenya = next(m for m in ms if m.key == "KEN")
    nigeria = _mentions("Nigeria expelled the envoys.")[0]
    got = [(a.key, b.key) for a, b in with_list_mates(nigeria, kenya, [nigeria, *ms])]
    assert got == [("NGA", "KEN"), ("NGA", "GHA"), ("NGA", "SEN")]
    doers = _mentions("American and British warplanes struck Yemen.")
    usa, gbr, yem = (next(m for m in doers if m.key == k) for k in ("USA", "GBR", "YEM"))
    assert [(a.key, b.key) for a, b in with_list_mates(usa, yem, doers)] == [("USA", "YEM"), ("GBR", "YEM")]
    assert with_list_mates(usa, gbr, doers) == [(usa, gbr)]  # a mate never faces its own list


def test_the_learned_coder_codes_each_party_of_a_listed_target():
    text = "Prime Minister Narendra Modi welcomed the leaders of Nepal, Sri Lanka and Bhutan to New Delhi on Sunday."
    events = LearnedCoder().code(Document(id="t", text=text, feed_date="2025-06-10"))
    facing_india = {side for e in events if e.actor and e.recipient
                    for side in {e.actor.country, e.recipient.country} - {"IND"} if "IND" in (e.actor.country,
                                                                                           e.recipient.country)}
    assert {"NPL", "LKA", "BTN"} <= facing_india, facing_india


def test_the_encoder_is_not_run_where_the_lexicon_prior_decides_the_type():
    coder = LearnedCoder()
    coder.classifier = classifier_from(CLASSIFIER_DIR)
    coder.classifier.confident = 1.01  # the n-gram model never sure: only the lexicon's reading spares the encoder
    before = coder.classifier.encoded_items
    events = coder.code(Document(id="t", text="Japan imposed sanctions on North Korea on Monday.",
                                 feed_date="2025-05-14"))
    assert [(e.event_type, e.actor.country, e.recipient.country) for e in events] == [("SANCTION", "JPN", "PRK")]
    assert coder.classifier.encoded_items == before


def test_the_pair_encoder_input_marks_doer_target_and_act():
    ms = _mentions("Ghana expelled two Togolese diplomats on Friday.")
    gha, tgo = ms[0], ms[1]
    text = marked_text(gha.head.sent, gha, tgo, predicate(gha, tgo))
    assert text == "@ Ghana @ [ expelled ] # two Togolese diplomats # on Friday."
    assert marked_text(gha.head.sent, tgo, None, None) == "Ghana expelled @ two Togolese diplomats @ on Friday."


def test_the_shipped_pair_encoder_gives_an_event_probability_and_types_per_pair():
    encoder = load_pair_encoder()
    assert encoder is not None and encoder.labels[0] == NONE
    labels = classifier_from(CLASSIFIER_DIR).labels
    texts = ["@ Ghana @ [ expelled ] two # Togolese diplomats # on Friday.",
             "@ Ghana @ said the weather in # Togo # was [ fine ]."]
    event, types = encoder.event_and_types(texts, labels)
    assert event.shape == (2,) and ((0 <= event) & (event <= 1)).all()
    assert event[0] > event[1]
    assert types.shape == (2, len(labels)) and abs(types.sum(axis=1) - 1).max() < 1e-6
    alone = encoder.event_and_types(texts[1:], labels)[0]
    assert alone[0] == event[1]


def test_the_learned_coder_mixes_the_pair_encoder_into_each_pair_probability(monkeypatch):
    """The weight is set through monkeypatch: the encoder is loaded once per process and other tests code with
    its shipped weight."""
    coder = LearnedCoder()
    doc = load_spacy()("Ghana expelled two Togolese diplomats on Friday.")
    resolver, memory = load_resolver(), ActorMemory()
    resolver.scan_document(doc, memory)
    sent = next(doc.sents)
    ms = find_mentions(sent, lambda tok, span: resolver.resolve(span, memory))
    rows = [(sent, a, b, predicate(a, b)) for a, b in pairs(ms)]
    feats = [pair_features(a, b) for a, b in pairs(ms)]
    sparse = coder.pair_model.probabilities(feats)
    encoded = [coder._encode(*row)[0] for row in rows]
    monkeypatch.setattr(coder.pair_encoder, "weight", 0.0)
    assert list(coder._event_probabilities(feats, rows)) == list(sparse)
    monkeypatch.setattr(coder.pair_encoder, "weight", 1.0)
    assert list(coder._event_probabilities(feats, rows)) == pytest.approx(encoded)
    assert list(sparse) != pytest.approx(encoded)


def _learned_triples(text: str) -> set[tuple]:
    """(type, actor country, recipient country) of the learned coder's events in a text."""
    events = LearnedCoder().code(Document(id="t", text=text, feed_date="2024-02-05"))
    return {(e.event_type, e.actor.country, e.recipient and e.recipient.country) for e in events}


def test_a_noun_standing_for_the_act_just_told_takes_its_doer_as_target():
    assert ("SUPPORT", "CHN", "TUV") in _learned_triples(
        "Tuvalu announced on Monday that it would open diplomatic relations with Beijing. "
        "China's foreign ministry welcomed the move the same day.")


def test_a_denial_with_no_target_answers_the_latest_accusation_against_the_denier():
    assert ("REJECT", "IRN", "USA") in _learned_triples(
        "Washington accused Iran on Sunday of backing the militia that killed three American soldiers. "
        "Tehran denied on Monday that it had any role.")


def test_a_refused_meeting_is_the_refusal_alone():
    """"Called off a planned visit": the codebook codes the REJECT, not the visit it cancels as an AGREE."""
    text = "Chile called off a planned visit to Santiago by Peru's foreign minister on Monday."
    events = LearnedCoder().code(Document(id="t", text=text, feed_date="2025-05-14"))
    assert [(e.event_type, e.actor.country, e.recipient.country) for e in events] == [("REJECT", "CHL", "PER")]


def test_the_two_governments_are_both_sides():
    """"The two governments", "their foreign ministers", "the two men": the two sides the report named most,
    before "the governments" could be read as the last government named."""
    text = ("Ghana and Togo restore ties\n\nGhana restored relations with Togo on Monday after a two-year rupture. "
            "The two governments agreed to exchange ambassadors within a month. Their foreign ministers met in "
            "Accra on Tuesday. The two men signed a border accord.")
    events = LearnedCoder().code(Document(id="t", text=text, feed_date="2025-05-14"))
    got = {(e.event_type, frozenset((e.actor.country, e.recipient.country)), e.mentions[0].trigger)
           for e in events if e.recipient}
    sides = frozenset(("GHA", "TGO"))
    assert {("AGREE", sides, "agreed"), ("CONSULT", sides, "met"), ("SUPPORT", sides, "signed")} <= got
