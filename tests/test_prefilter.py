"""The pre-parse sentence filter: it may drop only what cannot matter, and it keeps every offset."""

import pytest

from cablegram.coding.coder import Coder
from cablegram.coding.lexicon import trigger_words
from cablegram.coding.prefilter import blank_unneeded, load_filter, split_sentences
from cablegram.documents import document_from_text
from cablegram.nlp import load_spacy

# Invented sentences using many trigger lemmas in many inflections (irregular, doubled, -ies, nouns).
TRIGGER_SENTENCES = [
    "The envoys met twice and have been meeting since spring.",
    "Officials sought a delay, froze the accounts and withdrew the offer.",
    "Troops struck the depot; the strikes hit fuel stores and the army shelled roads.",
    "The committee banned rallies, banning marches that had been planned.",
    "Both governments denied the reports and apologised for the delays.",
    "The ministry summoned the ambassador and expelled two attachés.",
    "Negotiators agreed to resume the talks, the spokesperson said.",
    "Rebels seized a convoy and were accused of kidnapping aid workers.",
    "The president pardoned forty prisoners and released the journalists.",
    "Police detained dozens of protesters who rallied outside parliament.",
]
BACKGROUND = "Rainfall was heavy across the valley for most of the week. "


@pytest.fixture(scope="module")
def selector():
    return load_filter()


def test_every_trigger_token_spacy_finds_is_matched(selector):
    """Any token spaCy lemmatises to a trigger lemma has its lower-cased form in the filter."""
    words = trigger_words()
    seen = 0
    for doc in load_spacy().pipe(TRIGGER_SENTENCES):
        for tok in doc:
            if tok.lemma_.lower() in words:
                seen += 1
                assert tok.lower_ in selector.triggers, (tok.text, tok.lemma_)
    assert seen >= 25


def test_sentences_with_triggers_are_kept_and_background_is_blanked(selector):
    met = "Chilean and Peruvian envoys met twice and have been meeting since spring."
    text = met + " " + BACKGROUND + "The harvest was smaller than last year."
    blanked, n = blank_unneeded(text, selector)
    assert len(blanked) == len(text)
    assert met in blanked
    assert "Rainfall" not in blanked and "harvest" not in blanked
    assert n == len(text) - len(met) - 1
    for i, ch in enumerate(blanked):  # what is kept sits at its original offset
        assert ch == text[i] or ch.isspace()


def test_constrained_senses_need_their_word(selector):
    """'cut' is an event only with ties, aid, funding...: a price cut is not."""
    assert not selector.select(["The bakery in Lima cut its prices again this week."])[0]
    assert selector.select(["The government of Chile cut ties with its neighbour this week."])[0]


def test_titled_people_and_later_mentions_of_them_are_kept(selector):
    sentences = ["Foreign Minister Ilse Marten of Peru met the mayor late in the evening.",
                 "The weather was mild and the roads were quiet.",
                 "Later that evening Marten dined with local business leaders."]
    assert selector.select(sentences) == [True, False, True]


def test_split_keeps_abbreviations_and_initials_inside_sentences():
    text = "The U.S. delegation led by Mr. J. Ortiz arrived on Monday. Dr. Lee stayed at home all week long."
    spans = split_sentences(text)
    assert [text[a:b].strip() for a, b in spans] == [
        "The U.S. delegation led by Mr. J. Ortiz arrived on Monday.", "Dr. Lee stayed at home all week long."]
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


REPORT = ("Ministers agree to resume talks\n\n"
          "OSLO, May 4 (Lantern News) - Norway's Foreign Minister Ingrid Halvorsen met her Danish counterpart "
          "Mads Holm in Oslo on Monday. The city was busy with tourists. The two ministers agreed to resume "
          "talks on fishing quotas in June. Rain fell for most of the afternoon. Holm later said Denmark "
          "welcomed the decision. The ferry timetable was unchanged.\n")


def test_coder_gives_the_same_events_with_and_without_the_filter():
    doc = document_from_text(REPORT, "oslo-1")
    full = [e.to_dict() for e in Coder(prefilter=False).code(doc)]
    filtered = [e.to_dict() for e in Coder().code(doc)]
    assert full and filtered == full


def test_a_document_with_nothing_to_code_is_not_parsed():
    doc = document_from_text("Weather\n\nThe rain stopped at noon. The sun came out over the hills later on.\n", "w")
    assert Coder().code(doc) == []


def test_places_are_kept_only_in_documents_that_may_hold_an_event(selector):
    calm = ["The museum in Lisbon reopened after repairs to the roof.", "The weather stayed mild all week."]
    assert selector.select(calm) == [False, False]
    story = ["Portugal and Spain signed a treaty on river management."] + calm
    assert selector.select(story) == [True, True, False]


def test_the_sentence_before_a_trigger_is_kept_for_pronouns(selector):
    story = ["Delegates from Ghana met in the old hall.", "The harvest in the north was poor.",
             "It later condemned the decision."]
    assert selector.select(story) == [True, True, True]
    assert selector.select(["The harvest was poor.", "Nothing else happened in Accra.", story[2]]) == [False, True, True]


def test_reports_where_no_trigger_can_have_a_country_are_not_parsed(selector):
    market = ["Shares in a paint maker rose sharply after strong demand for its products.",
              "The company plans to hire more staff.", "Its chief executive was pleased."]
    assert selector.select(market) == [False, False, False]
    budget = ["The finance ministry of Norway published the budget.", "It plans to raise fuel taxes."]
    assert selector.select(budget) == [True, True]
    assert selector.select(["The UN envoy plans to visit the camps."]) == [True]


def test_a_capitalised_month_is_a_date_not_a_march(selector):
    assert selector.select(["The festival in Lima opens in March every year."]) == [False]
    assert selector.select(["Farmers in Lima march on the ministry every year."]) == [True]


def test_generated_feed_codes_the_same_with_and_without_the_filter():
    from cablegram.bench_corpus import articles

    docs = list(articles(30, seed=21))
    full = [[e.to_dict() for e in evs] for _d, evs in Coder(prefilter=False).code_stream(docs)]
    filtered = [[e.to_dict() for e in evs] for _d, evs in Coder().code_stream(docs)]
    assert sum(map(len, full)) > 20
    assert filtered == full
