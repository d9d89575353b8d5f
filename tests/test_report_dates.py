"""Dates an analyst can chart: year-less datelines placed with a notice (or by --date), a full date the text
states standing in for a missing publication date, background events dated by their own words, invalid
record dates reported and read past; and the CLI's filters and paths checked like any other input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from cablegram.cli import app
from cablegram.coding.coder import Coder
from cablegram.extract.coder import LearnedCoder
from cablegram.dates import place_day, read_date, text_reference_date, yearless_day
from cablegram.documents import document_from_text, iter_documents

# Reports written for these tests.
YEARLESS = ("WARSAW, October 17 (Baltic Wire) - Poland's foreign minister met his Lithuanian counterpart in Warsaw "
            "to discuss border security. Lithuania accused Belarus of sending migrants across the border. Poland "
            "and Lithuania signed an agreement on joint patrols.\n")
BACKGROUND = ("date: 2025-06-10\nRussia presses Washington on seized diplomatic property\n"
              "MOSCOW, June 10 (Harbor Post) - Russia's foreign ministry demanded on Tuesday that the United States "
              "return six diplomatic properties. The United States had seized the properties in December 2016, "
              "when Washington also expelled 35 Russian diplomats. Earlier, the United States had expelled "
              "Russian diplomats. Russia's ambassador criticised the State Department.\n")
UNDATED = ("Ministers meet after border clash\nThe clash on March 3, 2025 left two soldiers dead. India's foreign "
           "minister met his Chinese counterpart to calm the border. China accused India of provoking the clash.\n")

ONE_DATE = ("date: 2024-04-20\nPeru and Mexico at odds\nLIMA, April 20 (Andes Desk) - Peru recalled its ambassador "
            "from Mexico on March 3, and its foreign minister accused the Mexican government of meddling. Mexico's "
            "president met Peru's foreign minister in Lima on April 2 and on April 9, and Peru accused Mexico "
            "of bad faith. Chile's president welcomed the Peruvian proposal and said it followed a plan that "
            "Bolivia set out in January.\n")

OCCASION = ("date: 2025-09-20\nGhana and Togo mend ties\nACCRA, Sept. 20 (Coast Desk) - Ghana's president met Togo's "
            "president in Lome on 12 September 2025. At the same meeting Ghana promised to reopen its border with "
            "Togo.\n")
COUNTED = ("date: 2025-05-16\nEnvoys expelled\nPARIS, May 16 (Seine Wire) - France recalled its ambassador from Niger "
           "on Thursday, two days after Niger expelled the French envoy.\n")
ANCHORED = ("date: 2025-07-11\nSweden's pact bid\nSTOCKHOLM, July 11 (Baltic Wire) - Sweden announced on 10 July "
            "2025 that it would join the defence pact. In January 2025 Turkey called off a planned visit by Sweden's "
            "defence minister. Germany welcomed the announcement that night.\n\nGhana cut ties with Togo on 15 "
            "March 2025. Togo recalled its envoy the same day, and its foreign minister accused Ghana of bad "
            "faith.\n")


@pytest.fixture
def runner():
    return CliRunner()


def events_of(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_year_less_dateline_gets_every_event_dated_with_a_notice(runner, tmp_path):
    path = tmp_path / "warsaw.txt"
    path.write_text(YEARLESS)
    res = runner.invoke(app, ["code", str(path), "--no-merge"])
    assert res.exit_code == 0, res.output
    events = events_of(res)
    today = dt.date.today()
    year = today.year if (today.month, today.day) >= (10, 17) else today.year - 1
    assert len(events) >= 3 and all(e["date"] == f"{year}-10-17" for e in events)
    assert all(e["date_source"] == "inferred" for e in events)
    notice = " ".join(res.stderr.split())
    assert f"notice {path}: the dateline date 'October 17' has no year: assumed {year}-10-17" in notice

    given = runner.invoke(app, ["code", str(path), "--no-merge", "--date", "2024-10-17"])
    assert given.exit_code == 0 and {e["date"] for e in events_of(given)} == {"2024-10-17"}
    assert "the year of --date 2024-10-17" in given.stderr
    bad = runner.invoke(app, ["code", str(path), "--date", "17 October"])
    assert bad.exit_code == 2 and "--date must be a day" in bad.stderr


def test_background_events_never_carry_their_reports_date():
    doc = document_from_text(BACKGROUND, "background")
    events = Coder().code(doc)
    assert {e.event_type for e in events} >= {"REQUEST", "SANCTION"}
    for ev in events:
        sentence = ev.mentions[0].sentence
        if " had " in sentence:  # told as background: dated by its own words or not at all
            assert ev.date != doc.published, sentence
            assert ev.date in ("2016-12", None) and ev.date_source in ("text", None)
    [demand] = [e for e in events if e.event_type == "REQUEST"]
    assert demand.date == "2025-06-10" and demand.date_source == "text"
    assert any(e.date == "2016-12" for e in events)


def test_a_report_without_a_date_takes_the_full_date_its_text_states():
    doc = document_from_text(UNDATED, "undated")
    assert doc.published == "2025-03-03" and doc.date_source == "inferred"
    assert "latest full date the text states" in doc.date_note
    events = Coder().code(doc)
    assert events and all(e.date == "2025-03-03" for e in events)
    assert {e.date_source for e in events if not e.date_text} == {"inferred"}
    later = dt.date(2024, 1, 1)
    assert text_reference_date("Talks on March 3, 2025 and on May 5, 2023.", later) == "2023-05-05"


def test_an_undated_clause_takes_the_one_date_its_sentence_states():
    events = Coder().code(document_from_text(ONE_DATE, "one-date"))
    accusations = {e.mentions[0].sentence[:4]: e for e in events if e.event_type == "ACCUSE"}
    assert accusations["Peru"].date == "2024-03-03" and accusations["Peru"].date_source == "text"
    assert accusations["Mexi"].date == "2024-04-20"  # two dates in its sentence: neither is the accusation's
    [welcome] = [e for e in events if e.event_type == "SUPPORT" and e.actor.country == "CHL"]
    assert welcome.date == "2024-04-20"  # January dates the plan the relative clause describes


def test_date_helpers():
    assert read_date("2025-02-30") == (None, "invalid date '2025-02-30': day is out of range for month")
    assert read_date("not a date")[1].startswith("invalid date 'not a date': not a day")
    assert read_date("June 10, 2025") == ("2025-06-10", None)
    assert yearless_day("Oct. 17") == "Oct. 17" and yearless_day("October 17, 2024") is None
    assert yearless_day("soon") is None
    assert place_day("February 29", dt.date(2025, 6, 1)) == "2024-02-29"
    assert place_day("December 30", dt.date(2025, 1, 2), nearest=True) == "2024-12-30"


def test_invalid_record_dates_are_reported_and_the_rest_is_coded(runner, tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [{"id": "a", "date": "not a date", "text": "India expelled two Pakistani diplomats on Tuesday."},
               {"id": "b", "date": "2025-02-30", "text": "Japan's foreign minister met his South Korean "
                                                         "counterpart in Tokyo."},
               {"id": "c", "date": "2025-02-20", "text": "Brazil accused Argentina of breaking the trade accord."}]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    docs = list(iter_documents([str(feed)]))
    assert [d.warnings for d in docs][2] == [] and docs[0].feed_date is None
    res = runner.invoke(app, ["code", str(feed), "--no-merge"])
    assert res.exit_code == 2
    err = " ".join(res.stderr.split())
    assert f"warning {feed}:1: field date: invalid date 'not a date'" in err
    assert f"warning {feed}:2: field date: invalid date '2025-02-30': day is out of range for month" in err
    assert {e["mentions"][0]["doc_id"] for e in events_of(res)} == {"a", "b", "c"}


def test_a_missing_path_among_good_ones_is_reported_and_skipped(runner, tmp_path):
    good = tmp_path / "warsaw.txt"
    good.write_text(YEARLESS)
    res = runner.invoke(app, ["code", str(tmp_path / "nope.txt"), str(good), "--no-merge"])
    assert res.exit_code == 2
    assert f"skipped {tmp_path / 'nope.txt'}: no such file or directory" in " ".join(res.stderr.split())
    assert events_of(res)


def test_event_filters_are_checked_like_the_api(runner, tmp_path):
    db = str(tmp_path / "c.duckdb")
    good = tmp_path / "warsaw.txt"
    good.write_text(YEARLESS)
    assert runner.invoke(app, ["ingest", str(good), "--db", db, "--date", "2024-10-17"]).exit_code == 0
    by_code = runner.invoke(app, ["events", "--db", db, "--actor", "POL", "--format", "jsonl"])
    assert by_code.exit_code == 0 and events_of(by_code)
    for same in ("pol", "Poland", "poland"):
        res = runner.invoke(app, ["events", "--db", db, "--actor", same, "--format", "jsonl"])
        assert res.exit_code == 0 and events_of(res) == events_of(by_code), same
    for option, value, why in (("--actor", "Polandia", "not a country or organisation"),
                               ("--recipient", "XQZ", "not a country or organisation"),
                               ("--since", "2024-13", "not a real date"), ("--until", "2024-02-30", "not a real date"),
                               ("--since", "yesterday", "YYYY[-MM[-DD]]"), ("--type", "HUG", "not a PLOVER event type")):
        res = runner.invoke(app, ["events", "--db", db, option, value])
        assert res.exit_code == 2 and why in res.stderr, (option, value, res.output)


def test_the_dashboard_marks_inferred_dates(runner, tmp_path):
    from fastapi.testclient import TestClient

    from cablegram.web.app import create_app

    db = str(tmp_path / "c.duckdb")
    (tmp_path / "warsaw.txt").write_text(YEARLESS)
    assert runner.invoke(app, ["ingest", str(tmp_path / "warsaw.txt"), "--db", db]).exit_code == 0
    with TestClient(create_app(db, token="")) as c:
        events = c.get("/api/events").json()["events"]
        assert events and {e["date_source"] for e in events} == {"inferred"}
        page = c.get(f"/events/{events[0]['id']}").text
        assert 'class="badge inferred"' in page and "its date was inferred" in page
        assert 'class="badge inferred"' in c.get("/search", params={"q": "border"}).text


@pytest.mark.parametrize("make", [Coder, LearnedCoder], ids=["lexicon", "learned"])
def test_a_day_told_against_an_earlier_one_counts_from_a_day(make):
    """"That night" counts from the last day stated (10 July), not from a month stated since ("In January
    2025"); a date told against an earlier one ("the same day") is its sentence's one date and dates its other
    acts too."""
    events = make().code(document_from_text(ANCHORED, "anchored"))
    got = {(e.event_type, e.actor.country, e.recipient.country if e.recipient else None, e.date) for e in events}
    assert any(e[:2] == ("SUPPORT", "DEU") and e[3] == "2025-07-10" for e in got), got
    assert any(e[0] == "ACCUSE" and e[3] == "2025-03-15" for e in got), got


@pytest.mark.parametrize("make", [Coder, LearnedCoder], ids=["lexicon", "learned"])
def test_an_act_at_the_same_meeting_takes_the_meetings_day(make):
    events = make().code(document_from_text(OCCASION, "occasion"))
    [promise] = [e for e in events if e.event_type == "AGREE" and "same meeting" in e.mentions[0].sentence]
    assert promise.date == "2025-09-12" and promise.date_text == "At the same meeting"


@pytest.mark.parametrize("make", [Coder, LearnedCoder], ids=["lexicon", "learned"])
def test_an_act_told_so_long_before_the_main_one_is_dated_from_it(make):
    events = make().code(document_from_text(COUNTED, "counted"))
    got = {(e.actor.country, e.recipient.country, e.date) for e in events if e.event_type == "SANCTION"}
    assert {("FRA", "NER", "2025-05-15"), ("NER", "FRA", "2025-05-13")} <= got, got
