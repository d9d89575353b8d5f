"""The dated people dictionary: reading the Phoenix TABARI format, the two tables' rules, and the shipped tables."""

import sys
from pathlib import Path

import pytest

from cablegram.actors.people import Holder, People, PeopleDataError, identify, load_people
from cablegram.actors.phoenix import parse_entries, parse_span, read_code, terms

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_people import FILES, build  # noqa: E402

PHOENIX_SAMPLE = """\
# a comment line
SOUTH_AFRICA_  [ZAF]
+SOUTH_AFRIKA_
JACOB_ZUMA_  # CountryInfo.txt
+JACOB_GEDLEYIHLEKISA_ZUMA_
\t[ZAFELI 19990101-20090508]
\t[ZAFGOV >090509]
\t[ZAFELI]
ANN_VENEMAN_\t[USAGOV 010120-050120] [IGOUNOKID >050501]# later at UNICEF
ANDERS_FOGH_RASMUSSEN_
\t[DNKGOV 011127-090405]
\t[IGOWSTNAT 090801-140930]
OLD_MONARCH_
\t[XYZGOV <610101]
\t[ABCGOV 9008223-911221]
"""

COUNTRIES = {"ZAF", "USA", "DNK"}


def test_phoenix_entries_keep_names_spellings_and_only_dated_codes():
    zaf, zuma, veneman, rasmussen, old = parse_entries(PHOENIX_SAMPLE.splitlines())
    assert (zaf.name, zaf.variants, zaf.codes) == ("South Africa", ["South Afrika"], [])
    assert zuma.name == "Jacob Zuma" and zuma.variants == ["Jacob Gedleyihlekisa Zuma"]
    assert zuma.codes == [("ZAFELI", "1999-01-01", "2009-05-08"), ("ZAFGOV", "2009-05-09", None)]
    assert veneman.codes == [("USAGOV", "2001-01-20", "2005-01-20"), ("IGOUNOKID", "2005-05-01", None)]
    assert old.codes == [("XYZGOV", None, "1961-01-01")]  # the seven-digit date is not a date


@pytest.mark.parametrize("span, expected", [(">090509", ("2009-05-09", None)), ("<061231", (None, "2006-12-31")),
                                            ("19990101-20090508", ("1999-01-01", "2009-05-08")),
                                            ("580101-941006", ("1958-01-01", "1994-10-06")), ("9013-01", None)])
def test_phoenix_date_spans(span, expected):
    assert parse_span(span) == expected


def test_cameo_codes_become_the_gazetteers():
    assert read_code("ZAFGOVMIL", COUNTRIES) == ("ZAF", ("GOV", "MIL"))
    assert read_code("IGOWSTNAT", COUNTRIES) == ("NATO", ("IGO",))
    assert read_code("IGOUNOKID", COUNTRIES) == ("UNO", ("IGO",))
    assert read_code("IMGMUSALQ", COUNTRIES) == ("IMG", ("REB",))
    assert read_code("TMPGOV", COUNTRIES | {"TLS"}) == ("TLS", ("GOV",))
    assert read_code("AFRDEV", COUNTRIES) is None  # a region, not a party
    rasmussen = list(parse_entries(PHOENIX_SAMPLE.splitlines()))[3]
    assert [(t.country, t.end) for t in terms(rasmussen, COUNTRIES)] == [("DNK", "2009-04-05"), ("NATO", "2014-09-30")]


def test_build_keeps_people_and_leaves_out_countries(tmp_path):
    for i, name in enumerate(FILES):
        (tmp_path / name).write_text(PHOENIX_SAMPLE if i == 0 else "", encoding="utf-8")
    rows = [r.split("\t") for r in build(tmp_path)]
    assert {r[0] for r in rows} == {"Jacob Zuma", "Ann Veneman", "Anders Fogh Rasmussen"}
    assert ["Jacob Zuma", "ZAF", "GOV", "2009-05-09", "", "Jacob Gedleyihlekisa Zuma"] in rows


OFFICIALS = """\
# header comment
name\tcountry\tsectors\trole\tstart\tend\tvariants
Amani Otieno\tKEN\tGOV\tpresident\t2019-03\t\tOtieno
Amani Otieno\tKEN\tGOV,DIP\tforeign minister\t2012\t2019-02\tOtieno
Ruth Otieno\tUGA\tGOV,MIL\tdefence minister\t2016-01-01\t2018-12-31\t
Lars Berg\tNOR\tGOV\tprime minister\t2020-01-01\t\t
"""
PHOENIX = """\
name\tcountry\tsectors\tstart\tend\tvariants
Amani Otieno\tTZA\tBUS\t2010-01-01\t\t
Nils Berg\tSWE\tBUS\t2005-01-01\t2030-01-01\t
Ingrid Berg\tNOR\tGOV\t2001-01-01\t2002-01-01\t
"""


@pytest.fixture
def people(tmp_path):
    (tmp_path / "officials.tsv").write_text(OFFICIALS, encoding="utf-8")
    (tmp_path / "phoenix.tsv").write_text(PHOENIX, encoding="utf-8")
    return People((("officials", tmp_path / "officials.tsv"), ("phoenix", tmp_path / "phoenix.tsv")))


def test_officials_supersede_phoenix_for_the_same_person(people):
    assert [h.country for h in people.find("Amani Otieno")] == ["KEN", "KEN"]  # Phoenix's TZA is dropped


def test_the_post_held_on_the_report_date(people):
    assert people.identify("Amani Otieno", "2020-06-01").role == "president"
    assert people.identify("Amani Otieno", "2019-02-15").role == "foreign minister"  # "2019-02" is all February
    assert people.identify("Amani Otieno", "2011-06-01") is None


def test_a_surname_alone_must_name_one_country_that_day(people):
    assert people.identify("Otieno", "2020-06-01").country == "KEN"
    assert people.identify("Otieno", "2017-06-01") is None  # the Kenyan minister and the Ugandan minister
    assert people.identify("Berg", "2021-01-01") is None  # Norway's prime minister, or the Swede in Phoenix
    assert people.identify("Berg", "2001-06-01").country == "NOR"


def test_a_longer_name_matches_a_listed_surname_when_the_first_names_agree(people):
    assert people.identify("Amani K. Otieno", "2020-06-01").country == "KEN"
    assert people.identify("Moses Otieno", "2020-06-01") is None


def test_a_partial_end_date_counts_to_its_last_day():
    h = Holder("X", "KEN", ("GOV",), None, "2014", "2019-05", "officials")
    assert h.valid("2019-05-31") and not h.valid("2019-06-01") and h.valid("2014-01-01") and h.valid(None)


def test_a_malformed_row_names_its_file_and_line(tmp_path):
    bad = tmp_path / "officials.tsv"
    bad.write_text("name\tcountry\tsectors\trole\tstart\tend\tvariants\nA B\tKEN\tGOV\n", encoding="utf-8")
    with pytest.raises(PeopleDataError, match=r"officials.tsv:2: 3 columns"):
        People((("officials", bad),))


@pytest.mark.parametrize("name, day, country", [
    ("Ruto", "2023-05-02", "KEN"), ("Museveni", "2023-05-02", "UGA"), ("Blinken", "2022-03-01", "USA"),
    ("Erdoğan", "2020-01-01", "TUR"), ("Erdogan", "2020-01-01", "TUR"), ("Lula", "2024-02-02", "BRA"),
    ("MBS", "2023-01-01", "SAU"), ("Tusk", "2016-01-01", "EUR"), ("Tusk", "2024-01-01", "POL"),
    ("Sergey Lavrov", "2010-01-01", "RUS"), ("Grossi", "2024-01-01", "IAEA"), ("Jacob Zuma", None, "ZAF"),
])
def test_the_shipped_tables(name, day, country):
    assert identify(name, day).country == country


@pytest.mark.parametrize("name, day", [("Blinken", "2012-03-01"), ("Zelensky", "2015-06-01"),
                                       ("Kishida", "2010-01-01")])
def test_a_surname_out_of_office_on_that_date_is_not_resolved(name, day):
    assert identify(name, day) is None


def test_the_shipped_tables_are_large_enough():
    p = load_people()
    officials = {h for hs in p.full.values() for h in hs if h.source == "officials"}
    assert len(officials) >= 600
    assert {h.country for h in officials} >= {"UNO", "NATO", "EUR", "AU", "IAEA", "WHO", "IMF", "WB", "ASEAN",
                                               "OPEC", "ICC"}
