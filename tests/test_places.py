"""Event locations: places introduced by in/at/from, resolved with coordinates; parties and titles skipped."""

import pytest

from cablegram.nlp import load_spacy
from cablegram.normalize import normalize
from cablegram.places import find_location


def locate(text, clean=False):
    if clean:
        text = normalize(text).text
    return find_location(next(load_spacy()(text).sents))


def test_city_described_by_its_country():
    loc = locate("The fourth round of consultations took place in the Turkish city of Istanbul last week.")
    assert (loc.name, loc.country) == ("Istanbul", "TUR")
    assert loc.text in ("the Turkish city of Istanbul", "Istanbul")
    assert loc.lat == pytest.approx(41.0, abs=0.3) and loc.lon == pytest.approx(29.0, abs=0.3)


def test_title_places_are_not_event_places():
    loc = locate("Japan's Ambassador in Washington told reporters in Geneva that talks would resume.")
    assert (loc.name, loc.country) == ("Geneva", "CHE")
    assert locate("Norway's Ambassador to Washington praised the agreement.") is None


def test_parties_are_not_places():
    assert locate("Moscow accused Washington of stalling.") is None


def test_cities_win_over_countries():
    loc = locate("Talks in Russia resumed on Monday in Kazan.")
    assert (loc.name, loc.country) == ("Kazan", "RUS")


def test_country_when_no_city():
    loc = locate("Delegates met in Kenya to discuss the drought.")
    assert (loc.name, loc.country) == ("Kenya", "KEN")
    assert loc.lat is not None


def test_lower_case_city_after_normalisation():
    loc = locate("Visa interviews at the embassy in moscow were suspended.", clean=True)
    assert (loc.text, loc.name, loc.country) == ("Moscow", "Moscow", "RUS")


def test_facility_resolves_to_its_city():
    loc = locate("The two presidents met at the Kremlin on Friday.")
    assert (loc.name, loc.country) == ("Moscow", "RUS")


def test_a_country_after_from_is_a_party_not_a_venue():
    assert locate("Officials said the buildings were seized from Russia years ago.") is None
    loc = locate("The delegation returned from Ankara on Friday.")
    assert (loc.name, loc.country) == ("Ankara", "TUR")


def test_months_and_organisations_are_not_places():
    assert locate("The campaign filed a lawsuit in March against the newspaper.") is None
    assert locate("The government expelled workers from Save the Children.") is None


def test_a_us_state_gives_the_country():
    loc = locate("Border officials met in Texas on Monday.")
    assert (loc.name, loc.country, loc.lat) == ("Texas", "USA", None)


def test_washington_is_the_city_not_the_state():
    loc = locate("The envoys met in Washington on Monday.")
    assert (loc.name, loc.country) == ("Washington", "USA") and loc.lat is not None


def test_where_a_journey_goes_is_where_it_happens():
    loc = locate("The Chilean foreign minister travelled to Lima on Monday for talks with his Peruvian counterpart.")
    assert (loc.name, loc.country) == ("Lima", "PER")
    loc = locate("Kenya's president is due to visit Addis Ababa next week.")
    assert loc.country == "ETH"
    assert locate("Norway's Ambassador to Washington praised the agreement.") is None
