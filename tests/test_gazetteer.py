"""The offline gazetteer: names, demonyms, capitals, places and organisations resolve to the right codes."""

import pytest

from cablegram import gazetteer as gz


@pytest.mark.parametrize("name, code", [
    ("Russia", "RUS"), ("the Russian Federation", "RUS"), ("russian federation", "RUS"),
    ("United States", "USA"), ("the US", "USA"), ("U.S.", "USA"), ("America", "USA"),
    ("UK", "GBR"), ("Britain", "GBR"), ("Turkey", "TUR"), ("Türkiye", "TUR"), ("South Korea", "KOR"),
    ("North Korea", "PRK"), ("Korea, Republic of", "KOR"), ("Iran", "IRN"), ("the Netherlands", "NLD"),
    ("Kosovo", "KOS"), ("Palestine", "PSE"), ("Puerto Rico", "USA"), ("Greenland", "DNK"),
])
def test_country_by_name(name, code):
    assert gz.country_by_name(name) == code


@pytest.mark.parametrize("name", ["Darchiev", "Monday", "the talks", "", "Europe"])
def test_country_by_name_rejects_non_countries(name):
    assert gz.country_by_name(name) is None


@pytest.mark.parametrize("word, code", [
    ("Russian", "RUS"), ("American", "USA"), ("Americans", "USA"), ("Turkish", "TUR"), ("Chinese", "CHN"),
    ("Ukrainian", "UKR"), ("Israeli", "ISR"), ("Palestinian", "PSE"), ("South Korean", "KOR"),
    ("Frenchmen", "FRA"), ("Swiss", "CHE"), ("Emirati", "ARE"), ("Kosovar", "KOS"),
])
def test_country_by_demonym(word, code):
    assert gz.country_by_demonym(word) == code


def test_demonyms_cover_every_un_member():
    codes = set(c for c in gz.gazetteer().demonyms.values())
    shared = {"DMA", "COG"}  # "Dominican" and "Congolese" go to the larger namesake
    members = gz.gazetteer().members - {"ATA", "HKG", "VAT"} - shared
    assert members - codes == set()


@pytest.mark.parametrize("name, code", [
    ("Washington", "USA"), ("Moscow", "RUS"), ("Beijing", "CHN"), ("Kyiv", "UKR"), ("Kiev", "UKR"),
    ("Tehran", "IRN"), ("Ankara", "TUR"), ("Astana", "KAZ"), ("Brasilia", "BRA"), ("moscow", "RUS"),
])
def test_capital_country(name, code):
    assert gz.capital_country(name) == code


@pytest.mark.parametrize("name", ["Istanbul", "New York", "Geneva", "Springfield", "Darchiev"])
def test_non_capitals_are_not_governments(name):
    assert gz.capital_country(name) is None


def test_place_prefers_the_big_city_and_folds_case():
    moscow = gz.place("moscow")
    assert (moscow.name, moscow.country) == ("Moscow", "RUS")
    assert moscow.lat == pytest.approx(55.75, abs=0.2) and moscow.lon == pytest.approx(37.6, abs=0.2)
    assert gz.place("Washington").country == "USA"  # not the English town of the same name
    assert gz.place("Kiev").name == "Kyiv"
    assert gz.place("Istanbul").country == "TUR"


def test_place_of_a_country_has_coordinates():
    armenia = gz.place("Armenia")  # a country, although a Colombian city shares its name
    assert armenia.country == "ARM" and armenia.lat is not None
    assert gz.place("Xanadu Flats") is None


@pytest.mark.parametrize("text, code", [
    ("UN", "UNO"), ("the UN Security Council", "UNO"), ("United Nations General Assembly", "UNO"),
    ("EU", "EUR"), ("the European Commission", "EUR"), ("NATO", "NATO"), ("African Union", "AU"),
    ("IAEA", "IAEA"), ("WHO", "WHO"), ("World Bank", "WB"), ("Arab League", "LAS"), ("G20", "G20"),
    ("Council of Europe", "COE"),
])
def test_igo_code(text, code):
    assert gz.igo_code(text) == code


def test_igo_acronyms_are_case_sensitive():
    assert gz.igo_code("who") is None
    assert gz.igo_code("Brussels") is None


def test_known_place_names_are_lower_case():
    names = gz.known_place_names()
    assert {"moscow", "russia", "istanbul", "washington"} <= names
    assert all(n == n.lower() for n in names)


def test_us_states_belong_to_the_united_states_but_georgia_is_a_country():
    assert gz.region_country("New Mexico") == "USA"
    assert gz.region_country("texas") == "USA"
    assert gz.region_country("Georgia") is None
    assert gz.country_by_name("Georgia") == "GEO"


def test_capitals_come_from_names_news_uses_not_every_foreign_spelling():
    assert gz.capital_country("Nur-Sultan") == "KAZ"
    assert gz.capital_country("Pristina") == "KOS"
    assert gz.capital_country("Amani") is None  # a rare foreign form of Amman, and a given name
    assert "limo" not in gz.known_place_names()
