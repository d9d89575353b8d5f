"""Where an event happened: the place a sentence introduces with "in", "at" or "from", or where a journey
goes ("travelled to", "visit"), resolved with coordinates."""

from __future__ import annotations

from spacy.tokens import Span, Token

from . import gazetteer as gz
from .models import Location

PLACE_PREPS = frozenset({"in", "at", "from", "inside", "near", "across", "throughout", "through", "outside"})
PLACE_NOUNS = frozenset({"city", "capital", "town", "village", "port", "region", "province", "resort", "country",
                         "republic", "state", "island", "district", "suburb", "outskirts"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PERSON_ROLES = frozenset({"ambassador", "envoy", "consul", "representative", "correspondent", "diplomat",
                          "minister", "secretary", "chief", "head", "director", "bureau"})
PARTY_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "agent", "dative", "attr"})
JOURNEYS = frozenset({"travel", "fly", "go", "come", "return", "head", "visit", "trip", "journey", "tour", "arrive",
                      "invite", "invitation", "welcome"})  # "travelled to Budapest", "a visit to Islamabad"
UNTAGGED_CITY_POPULATION = 500_000
FACILITIES = {"kremlin": "Moscow", "white house": "Washington", "pentagon": "Washington", "capitol": "Washington",
              "capitol hill": "Washington", "downing street": "London", "elysee palace": "Paris",
              "elysee": "Paris", "dolmabahce palace": "Istanbul", "palais des nations": "Geneva"}


def _resolve(text: str) -> Location | None:
    """A facility's city, a gazetteer place, or else a region's country."""
    key = gz.fold(text)
    key = key[4:] if key.startswith("the ") else key
    if key in FACILITIES:
        loc = gz.place(FACILITIES[key])
        return Location(text=text, country=loc.country, name=loc.name, lat=loc.lat, lon=loc.lon) if loc else None
    loc = gz.place(text)
    region = gz.region_country(text)
    if loc is None and region:  # a US state: the country is known, coordinates are not
        return Location(text=text, country=region, name=text.removeprefix("the ").strip())
    return loc


def _introduced(root: Token) -> tuple[Token, Token] | None:
    """(preposition, phrase head) when the place is the object of in/at/from, directly or as
    "the Turkish city of Istanbul"; None otherwise."""
    head, tok = root.head, root
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
        tok = head.head
        head = tok.head
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in PLACE_NOUNS:
        tok = tok.head
        head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in PLACE_PREPS:
        return head, tok
    if tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in JOURNEYS:
        return head, tok  # where a journey ends is where its meetings happen
    if tok.dep_ == "dobj" and head.lemma_.lower() == "visit":
        return head, tok  # "visit Islamabad"
    return None


def _in_title(prep: Token) -> bool:
    """"Ambassador in Washington", "correspondent in Beijing": the place belongs to someone's title."""
    return prep.head.lemma_.lower() in PERSON_ROLES


def _well_known(text: str) -> bool:
    """A country, a capital, a big city or a seat of government: safe to take even when the parser did not
    tag it as a place."""
    return bool(gz.country_by_name(text) or gz.capital_country(text) or gz.is_city(text, UNTAGGED_CITY_POPULATION)
                or gz.fold(text).removeprefix("the ") in FACILITIES)


def _candidates(sent: Span):
    seen: set[int] = set()
    for ent in sent.ents:
        if ent.label_ in PLACE_LABELS or ent.label_ == "ORG" and _well_known(ent.text):
            seen.update(range(ent.start, ent.end))
            yield ent
    for t in sent:
        if t.i not in seen and not t.ent_type_ and t.pos_ == "PROPN" and t.dep_ == "pobj" and \
                t.text[:1].isupper() and _well_known(t.text):
            yield sent.doc[t.i:t.i + 1]


def find_location(sent: Span, clause: Token | None = None) -> Location | None:
    """The place this sentence's event happened, or None: venues ("in", "at") win over origins ("from"), then
    places inside the event's own clause, then cities over countries; parties and titles are skipped."""
    best: tuple[tuple[int, int, int], Location] | None = None
    inside = {t.i for t in clause.subtree} if clause is not None else set()
    for ent in _candidates(sent):
        if ent.root.dep_ in PARTY_DEPS and not (ent.root.dep_ == "dobj" and ent.root.head.lemma_.lower() == "visit"):
            continue
        intro = _introduced(ent.root)
        if intro is None or _in_title(intro[0]):
            continue
        loc = _resolve(ent.text)
        if loc is None:
            continue
        prep, phrase_head = intro
        is_city = gz.is_city(ent.text) or gz.fold(ent.text).removeprefix("the ") in FACILITIES
        if prep.lower_ == "from" and not is_city:
            continue  # "seized from Russia": a party, not a venue
        phrase = sent.doc[min(t.i for t in phrase_head.subtree):ent.end]
        loc.text = phrase.text if phrase_head.i != ent.root.i and phrase_head.i < ent.start else ent.text
        rank = (int(prep.lower_ == "from"), 0 if not inside or ent.root.i in inside else 1, 0 if is_city else 1)
        if best is None or rank < best[0]:
            best = (rank, loc)
    return best[1] if best else None
