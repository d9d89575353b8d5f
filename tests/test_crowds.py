"""Protests by crowds (coding/crowds.py): the crowd's country from what it is called or where it gathered, the
target from the mission, party or demand it names, else its own authorities; a state's protest is an ACCUSE;
a crowd with no country stays uncoded. Both coders, the real spaCy model; reports written for these tests."""

from __future__ import annotations

import pytest

from cablegram.coding.coder import Coder
from cablegram.extract.coder import LearnedCoder
from cablegram.models import Document

REPORT = ("Baltic crowds turn out over budget and embassy rows\n"
          "Tens of thousands of Latvian teachers rallied in Riga on Wednesday against the budget cuts. "
          "Hundreds of protesters marched on the Chinese embassy in Vilnius on Thursday, demanding an apology. "
          "A crowd gathered outside the Russian consulate in Tartu, accusing Moscow of lying. "
          "Pro-Russian activists held rallies in Chisinau, demanding the government's resignation. "
          "Estonia's foreign ministry lodged a protest with Russia over the airspace violation. "
          "Hundreds of people marched through the old town, waving flags.\n")


def _coded(coder) -> set[tuple]:
    events = coder.code(Document(id="crowds", text=REPORT, feed_date="2025-03-07"))
    return {(e.event_type, e.actor.country if e.actor else None, e.recipient.country if e.recipient else None,
             e.mentions[0].trigger) for e in events}


@pytest.fixture(scope="module", params=["lexicon", "learned"])
def coded(request) -> set[tuple]:
    return _coded(Coder() if request.param == "lexicon" else LearnedCoder())


def test_crowd_at_home_protests_its_own_authorities(coded):
    assert ("PROTEST", "LVA", "LVA", "rallied") in coded


def test_a_mission_names_the_target(coded):
    assert ("PROTEST", "LTU", "CHN", "marched") in coded
    assert ("PROTEST", "EST", "RUS", "gathered") in coded


def test_leaning_is_not_origin(coded):
    """"Pro-Russian" says which side the crowd leans to; Chisinau says where it is from."""
    assert ("PROTEST", "MDA", "MDA", "held") in coded
    assert not any(e[0] == "PROTEST" and e[1] == "RUS" for e in coded)


def test_a_states_protest_is_an_accusation(coded):
    assert any(e[:3] == ("ACCUSE", "EST", "RUS") for e in coded)
    assert not any(e[0] == "PROTEST" and e[1] == "EST" and e[2] == "RUS" and e[3] != "gathered" for e in coded)


def test_a_crowd_with_no_country_is_left_alone(coded):
    assert not any(e[3] == "marched" and e[2] is None for e in coded)
    assert sum(e[0] == "PROTEST" for e in coded) == 4


def test_the_protests_demand_is_not_coded_apart(coded):
    """The codebook codes a protest's topic with the protest, not as a REQUEST of its own."""
    assert not any(e[0] == "REQUEST" for e in coded)


FORCES = ("Bishkek crowds meet the police\n"
          "Thousands of demonstrators gathered outside parliament in Bishkek on Monday. "
          "Police detained dozens of protesters when they tried to break through. "
          "Riot police in Almaty fired on the crowd on Tuesday. "
          "Police detained two suspects.\n")


@pytest.mark.parametrize("make", [Coder, LearnedCoder], ids=["lexicon", "learned"])
def test_forces_acting_on_a_crowd_act_at_home(make):
    """The forces' country is where they act, else that of the crowd told just before; the target is the crowd's."""
    events = make().code(Document(id="forces", text=FORCES, feed_date="2025-03-04"))
    got = {(e.event_type, e.actor.country if e.actor else None, e.recipient.country if e.recipient else None,
            e.mentions[0].trigger) for e in events}
    assert ("COERCE", "KGZ", "KGZ", "detained") in got
    assert ("ASSAULT", "KAZ", "KAZ", "fired") in got
    assert sum(e[3] == "detained" for e in got) == 1, got  # suspects are no crowd
