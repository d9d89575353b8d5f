"""Dates in a sentence resolved against the publication date, with the precision the words allow."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablegram.dates import find_dates, is_future_reference, iso_date, resolve_date

PUBLISHED = "2025-06-11"  # a Wednesday
SCHEMA_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


@pytest.mark.parametrize("sentence, expected, words", [
    ("The second round was held in Istanbul on April 10.", "2025-04-10", "on April 10"),
    ("He wants relations restored to where they stood in December 2016.", "2016-12", "in December 2016"),
    ("The treaty was signed in 2019 by both parties.", "2019", "in 2019"),
    ("Rebels shelled the town yesterday.", "2025-06-10", "yesterday"),
    ("It was his first trip since the start of his tenure on March 26.", "2025-03-26", "on March 26"),
    ("Police detained 40 protesters on Tuesday.", "2025-06-10", "on Tuesday"),
    ("The cabinet met on Wednesday.", "2025-06-11", "on Wednesday"),
    ("The minister spoke last Wednesday.", "2025-06-04", "last Wednesday"),
    ("The vote was held on 5 June 2024 in the capital.", "2024-06-05", "on 5 June 2024"),
    ("On Monday, June 9, the envoy arrived.", "2025-06-09", "On Monday, June 9"),
    ("Troops withdrew on Jan. 5.", "2025-01-05", "on Jan. 5"),
    ("Shipments resumed in mid-April.", "2025-04", "in mid-April"),
    ("The bank raised rates last month.", "2025-05", "last month"),
    ("The embassy closed three years ago.", "2022", "three years ago"),
    ("The strike happened the day before yesterday.", "2025-06-09", "the day before yesterday"),
    ("The report was filed on 2025-06-01 by the mission.", "2025-06-01", "on 2025-06-01"),
    ("Funding runs out by the end of 2027, the agency said.", "2027", "by the end of 2027"),
    ("Both sides clashed in the summer of 2018.", "2018", "in the summer of 2018"),
])
def test_resolve_date(sentence, expected, words):
    assert resolve_date(sentence, PUBLISHED) == (expected, words)


def test_year_less_date_after_publication_falls_in_the_previous_year_when_past():
    assert resolve_date("The ceasefire was agreed on July 20.", PUBLISHED)[0] == "2024-07-20"
    assert resolve_date("The summit will open on July 20.", PUBLISHED, prefer="future")[0] == "2025-07-20"
    assert resolve_date("The talks resume on April 10.", PUBLISHED, prefer="future")[0] == "2026-04-10"


def test_year_less_day_just_after_publication_stays_in_its_year_unless_past_is_asked_for():
    sentence = "Diplomats were told to leave by June 30."
    assert resolve_date(sentence, PUBLISHED)[0] == "2025-06-30"
    assert resolve_date(sentence, PUBLISHED, prefer="past")[0] == "2024-06-30"
    assert resolve_date("Talks were held on August 20.", PUBLISHED)[0] == "2024-08-20"


def test_weekday_and_month_in_the_future():
    assert resolve_date("The delegation arrives on Tuesday.", PUBLISHED, prefer="future")[0] == "2025-06-17"
    assert resolve_date("Elections are due in September.", PUBLISHED, prefer="future")[0] == "2025-09"
    assert resolve_date("Elections were held in September.", PUBLISHED)[0] == "2024-09"


def test_week_level_expressions_give_the_month_holding_most_of_the_week():
    assert resolve_date("The convoy left last week.", PUBLISHED)[0] == "2025-06"
    assert resolve_date("The convoy left last week.", "2025-03-03")[0] == "2025-02"


@pytest.mark.parametrize("sentence", [
    "Diplomats may not travel outside the 25-mile zone without notice.",
    "Authorities seized six properties owned by the mission.",
    "About 2,000 troops crossed the border.",
    "The allies invoked Article 5 of the treaty.",
    "Resolution 2231 remains in force.",
    "The fund paid a total of 2000 claims.",
    "The next round will be held in the near future.",
    "They may 10 times refuse.",
])
def test_numbers_and_vague_times_that_are_not_dates(sentence):
    assert resolve_date(sentence, PUBLISHED) == (None, None)


def test_find_dates_returns_every_date_with_offsets():
    sentence = "Rounds were held in Istanbul on February 27 and April 10."
    found = find_dates(sentence, PUBLISHED)
    assert [(d, t) for d, t, _, _ in found] == [("2025-02-27", "on February 27"), ("2025-04-10", "April 10")]
    for _, text, start, end in found:
        assert sentence[start:end] == text
    assert resolve_date(sentence, PUBLISHED) == ("2025-02-27", "on February 27")


def test_without_a_publication_date_only_absolute_dates_resolve():
    assert resolve_date("The pact dates from March 2014.", None) == ("2014-03", "from March 2014")
    assert resolve_date("They met on April 10.", None) == (None, None)
    assert resolve_date("They met yesterday.", None) == (None, None)


@pytest.mark.parametrize("text, future", [
    ("The talks will resume in the near future.", True),
    ("A decision is expected soon.", True),
    ("Further steps will follow in the coming weeks.", True),
    ("The minister travels there next week.", True),
    ("Soon after the blast, police sealed the area.", False),
    ("The talks resumed last week.", False),
    ("Shortly before midnight the shelling stopped.", False),
])
def test_is_future_reference(text, future):
    assert is_future_reference(text) is future


@pytest.mark.parametrize("value, expected", [
    ("June 10, 2025", "2025-06-10"),
    ("2025-06-10T08:00:00Z", "2025-06-10"),
    ("Tue, 10 Jun 2025 08:00:00 GMT", "2025-06-10"),
    ("2025-06-10T23:30:00-05:00", "2025-06-10"),  # the calendar day as written, not shifted to UTC
    ("10 June 2025", "2025-06-10"),
    ("2025-13-45", None),
    ("no date here", None),
    ("", None),
    (None, None),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


WORDS = st.sampled_from(["on", "in", "April", "10", "2019", "last", "week", "Tuesday", "the", "troops",
                         "25-mile", "yesterday", "since", "March", "2,000", "early", "next", "month", ","])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=12), st.sampled_from([None, "future"]))
def test_found_dates_are_schema_valid_and_point_into_the_sentence(words, prefer):
    sentence = " ".join(words)
    for date, text, start, end in find_dates(sentence, PUBLISHED, prefer):
        assert SCHEMA_DATE.match(date)
        assert sentence[start:end] == text


def test_dates_told_against_the_last_stated_date_follow_it():
    from cablegram.dates import anchored_dates, first_anchored
    assert anchored_dates("Lima replied the following day.", "2024-02-28") == \
        [("2024-02-29", "the following day", 13, 30)]
    assert anchored_dates("A day earlier, envoys met.", "2024-03-01")[0][0] == "2024-02-29"
    assert anchored_dates("It answered the same evening.", "2024-03-01")[0][0] == "2024-03-01"
    assert anchored_dates("Riyadh cut ties the next day.", "2016-01")[0][0] == "2016-01"  # precision kept
    assert anchored_dates("Riyadh cut ties the next day.", None) == []
    assert first_anchored("They met on Monday.") is None
