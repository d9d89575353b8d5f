"""Resolving a noun phrase to a Party: country (alpha-3 or IGO code) and PLOVER sectors.

Countries, demonyms, capitals and cities come from the gazetteer; institutions and titles from the lexicons
in data/gazetteer/. The people a report names are read once per document (`scan_document`) so that later
bare surnames, role nouns ("the envoy") and pronouns resolve to them. A person's country comes from the
text first (title, apposition, possessive), then from an earlier mention, then from the dated people
dictionary at the report's date; otherwise it stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Span, Token

from .. import gazetteer as gz
from ..models import Party
from .coreference import ActorMemory, Person, note_later_mentions, role_matches
from .people import load_people

BOTH_SIDES = re.compile(r"^(?:the |both |all )?(?:two |both )?(?:countries|sides|parties|nations|states|"
                        r"governments|delegations|leaders|each other|one another)$|^both$", re.I)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
POSTED = frozenset({"to", "in", "at", "for", "on", "with", "against", "from", "near", "by", "after", "during",
                    "over", "about", "into", "inside", "outside", "across", "under", "between", "among",
                    "toward", "towards"})  # "Ambassador to Washington": where someone is, not who they are
TITLE_GLUE = frozenset({"'s", "’s", "'", "of", "for", "to", "and", "the", "new", "former", "then", "acting", "top",
                        "senior", "deputy", "first", "chief", "special", "interim", "outgoing", "incoming", "vice",
                        "-", "at", "large", "in", "on", "affairs", "head", "director", "chair", "chairman",
                        "department", "ministry", "council", "committee", "security", "national", "foreign",
                        "defense", "defence", "interior", "state", "assistant", "under", "permanent", "policy",
                        "trade", "economy", "economic", "finance", "energy", "health", "justice", "education",
                        "culture", "environment", "agriculture", "transport", "industry", "labour", "labor",
                        "human", "rights", "development", "communications", "information", "homeland",
                        "political", "public", "relations", "press"})
PORTFOLIO = {"foreign": "DIP", "consular": "DIP", "diplomatic": "DIP", "european": "DIP", "eurasian": "DIP",
             "asian": "DIP", "african": "DIP", "eastern": "DIP", "hemisphere": "DIP", "international": "DIP",
             "defense": "MIL", "defence": "MIL", "military": "MIL", "intelligence": "SPY", "police": "COP"}
GENERIC_ROLES = frozenset({"official", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor",
                           "secretary", "assistant secretary", "deputy assistant secretary", "under secretary",
                           "undersecretary", "minister", "deputy minister", "press secretary", "head", "chief"})
MAX_PHRASE = 5
SHORT_PLACE_WORDS = 4  # words tried for a place name, unless it starts a longer country name (gazetteer)
QUANTIFIERS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "group", "number",
                         "some", "many", "most", "several", "member", "members", "one", "two", "three", "few"})
GROUP_NOUNS = frozenset({"side", "camp", "people", "nation", "country", "state", "public", "team", "counterpart",
                         "partner", "representative", "city", "capital", "national", "population", "ally",
                         "man", "woman", "resident", "faction", "personnel", "pilot", "crew", "group", "member",
                         "leadership", "employee", "staff", "worker", "official"})
NOT_NAMES = frozenset({"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                       "QUANTITY", "FAC", "EVENT", "LAW", "LANGUAGE", "PRODUCT"})
NAME_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "de", "da", "del", "della", "van", "von", "der", "den",
                            "le", "la", "du"})  # "Mohammed bin Salman"
LOWER_CASE_WORDS = frozenset({"turkey", "chad", "jordan", "china", "guinea", "georgia", "polish", "pole", "french",
                              "dutch", "english", "swiss", "greek", "turk", "dane", "finn", "swede", "scot", "brit",
                              "lao", "thai", "us", "american", "soviet", "man", "niger"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
CITY_PARTY_POPULATION = 100_000  # smaller towns share names with too many ordinary words


@dataclass(frozen=True)
class Entry:
    """One lexicon line: sectors and the country the words imply by themselves."""

    phrase: str
    sectors: tuple[str, ...]
    country: str | None


class Lexicon(dict):
    """Phrase -> Entry, with the words its phrases start with (a word no phrase starts with starts no match)."""

    @cached_property
    def starts(self) -> frozenset[str]:
        return frozenset(phrase.split(" ")[0] for phrase in self)


def _lexicon(name: str) -> Lexicon:
    out = Lexicon()
    with open(gz.DATA / name, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            phrase = cols[0] if gz._is_acronym(cols[0]) else cols[0].lower().replace("-", " ")
            out[phrase] = Entry(phrase, tuple(cols[1].split(",")), cols[2] if len(cols) > 2 and cols[2] else None)
    return out


@dataclass
class Title:
    """What a title or noun phrase says: country, role (from roles.tsv), institution (institutions.tsv)."""

    country: str | None = None
    country_kind: str | None = None  # name, demonym, capital, region, city
    role: Entry | None = None
    institution: Entry | None = None
    portfolio: str | None = None
    role_tokens: set[int] = field(default_factory=set)  # token indices of the role words
    institution_tokens: set[int] = field(default_factory=set)  # token indices of the institution words
    institution_country: str | None = None  # the country an institution's own name implies ("Kremlin")

    @property
    def covered(self) -> set[int]:
        """Token indices of all role and institution words."""
        return self.role_tokens | self.institution_tokens

    @property
    def sectors(self) -> list[str]:
        """A specific title decides; a generic one ("official", "secretary") takes its portfolio or institution."""
        if self.role is not None and self.role.phrase not in GENERIC_ROLES:
            return list(self.role.sectors)
        if self.role is not None and self.portfolio:
            return [self.portfolio]
        if self.institution is not None:
            return list(self.institution.sectors)
        return list(self.role.sectors) if self.role is not None else []

    @property
    def implied_country(self) -> str | None:
        """The country said outright, else the one the institution or the title implies."""
        return self.country or self.institution_country or (self.role.country if self.role else None)


class ActorResolver:
    """Resolves noun phrases to Parties; lexicons load once, every call is dictionary look-ups."""

    def __init__(self):
        self.roles = _lexicon("roles.tsv")
        self.institutions = _lexicon("institutions.tsv")
        self.title_words = {w for p in list(self.roles) + list(self.institutions) for w in p.lower().split()}
        self.title_words |= TITLE_GLUE
        self.people = load_people()
        gz.gazetteer()

    # --- reading titles -------------------------------------------------------------------------

    def _words(self, tokens: list[Token]) -> list[tuple[Token, str, str]]:
        return [(t, t.lower_, t.lemma_.lower()) for t in tokens if t.text not in ("-", "–")]

    def _match(self, words, lexicon: Lexicon, leftmost: bool = False) -> tuple[Entry, int, int] | None:
        """Longest lexicon phrase in `words` (the last word may be plural), ties to the rightmost; or, with
        `leftmost`, the longest phrase that starts first."""
        best = None
        starts = lexicon.starts
        for i in range(len(words)):
            tok, low, lemma = words[i]
            if not ({low, tok.text, lemma, tok.text.removesuffix("s")} & starts or " " in tok.text):
                continue  # no lexicon phrase starts with this word
            for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
                chunk = words[i:i + n]
                keys = {" ".join(w[1] for w in chunk), " ".join([w[1] for w in chunk[:-1]] + [chunk[-1][2]]),
                        " ".join(w[0].text for w in chunk),
                        " ".join([w[0].text for w in chunk[:-1]] + [chunk[-1][0].text.removesuffix("s")])}  # NGOs
                hit = next((lexicon[k] for k in keys if k in lexicon), None)
                if hit is not None:
                    if best is None or n >= best[2] - best[1]:
                        best = (hit, i, i + n)
                    break
            if leftmost and best is not None:
                return best
        return best

    def _country(self, tokens: list[Token], skip: set[int], posted: frozenset[str] = POSTED
                 ) -> tuple[str | None, str | None]:
        """First country the tokens name for themselves, skipping places after "to", "in", "for" ...
        and words that belong to an institution's name (`skip`: token indices, e.g. "Duma")."""
        blocked = False
        for i, t in enumerate(tokens):
            if t.lower_ in posted or (t.lower_ in ("anti", "pro", "non") and t.i + 1 < len(t.doc)
                                      and t.doc[t.i + 1].text == "-"):
                blocked = True  # "Ambassador to Washington", "anti-Russian"
            elif t.lower_ == "of":
                blocked = False
            if blocked or not (t.text[:1].isupper() or t.text.startswith("U.") or _lower_case_nation(t.text)):
                continue
            for n in range(gz.long_country_names().get(t.lower_, SHORT_PLACE_WORDS), 0, -1):
                chunk = tokens[i:i + n]
                if len(chunk) < n or not chunk[-1].text[:1].isalpha() or any(c.i in skip for c in chunk):
                    continue
                after_in = i > 0 and tokens[i - 1].lower_ in ("in", "at") and all(c.pos_ == "PROPN" for c in chunk)
                found = _place_country(t.doc[chunk[0].i:chunk[-1].i + 1].text, _tagged_place(chunk) or after_in)
                if found[0]:
                    return found
        return None, None

    def read_title(self, tokens: list[Token]) -> Title:
        """Interpret a title or noun phrase: its own country, role, institution and portfolio."""
        words = self._words(tokens)
        title = Title()
        role = self._match(words, self.roles)
        title.role = role[0] if role else None
        if role:
            title.role_tokens = {w[0].i for w in words[role[1]:role[2]]}
        named: set[int] = set()
        rest = words
        while rest:  # every institution named, left to right: "al-Qaeda militants" = al-Qaeda + militants
            inst = self._match(rest, self.institutions, leftmost=True)
            if inst is None:
                break
            covered = {w[0].i for w in rest[inst[1]:inst[2]]}
            rest = rest[inst[2]:]
            if covered <= title.role_tokens:
                continue  # "press" inside "press secretary" is part of the title, not an institution
            title.institution_tokens |= covered
            if inst[0].country:
                named |= covered
                title.institution_country = title.institution_country or inst[0].country
            title.institution = inst[0]
        title.country, title.country_kind = self._country(tokens, named)
        after_for = False
        for _, low, _ in words:
            if low in ("for", "of"):
                after_for = True
            elif after_for and low in PORTFOLIO:
                title.portfolio = PORTFOLIO[low]
                break
        return title

    # --- scanning documents ---------------------------------------------------------------------

    def _is_title_word(self, t: Token) -> bool:
        """Part of a title: a role or institution word, or a place (unless the parser saw a person's name)."""
        low = t.lower_
        return low in self.title_words or t.lemma_.lower() in self.title_words or t.text in ("'s", "’s") or \
            (t.ent_type_ != "PERSON" and bool(_place_country(t.text, _tagged_place([t]))[0]))

    def _name_word(self, t: Token) -> bool:
        return (t.pos_ == "PROPN" and t.text[:1].isupper() and t.text.replace("-", "").isalpha()
                and not t.is_stop and t.ent_type_ not in NOT_NAMES and not self._is_title_word(t)
                and not gz.igo_code(t.text))

    def _name_runs(self, sent: Span) -> list[tuple[int, int]]:
        """[start, end) token ranges of probable personal names: capitalised words that are not title words."""
        runs, i, toks = [], 0, list(sent)
        while i < len(toks):
            t = toks[i]
            if self._name_word(t):
                j = i
                while j + 1 < len(toks) and (self._name_word(toks[j + 1]) or (
                        toks[j + 1].lower_ in NAME_PARTICLES and j + 2 < len(toks) and self._name_word(toks[j + 2]))):
                    j += 1
                runs.append((toks[i].i, toks[j].i + 1))
                i = j + 1
            else:
                i += 1
        return runs

    def _left_title(self, doc: Doc, start: int, sent_start: int) -> list[Token]:
        """Title words just before a name: "Russia's new Ambassador to Washington" before "Alexander Darchiev"."""
        if start > sent_start and doc[start - 1].pos_ == "ADP":
            return []  # "the Ambassador in Lyon": a name right after a preposition is not titled by what precedes
        i = start - 1
        while i >= sent_start:
            t = doc[i]
            if t.is_punct and t.text not in ("-", "'s"):
                break
            if t.pos_ in ("VERB", "AUX") or t.lower_ in ("the", "a", "an"):
                break
            if not (self._is_title_word(t) or (t.text[:1].isupper() and t.pos_ in ("PROPN", "ADJ"))):
                break
            i -= 1
        toks = list(doc[i + 1:start])
        while toks and toks[0].lower_ in ("and", "of", "for", "to", "'s"):
            toks = toks[1:]
        return toks

    def _head_title(self, doc: Doc, start: int, end: int) -> list[Token]:
        """The noun phrase a name stands in apposition to: "his Lebanese counterpart, Michel Aoun"."""
        root = doc[start:end].root
        if root.dep_ != "appos" or root.head.i >= start:
            return []
        toks = [t for t in doc[root.head.left_edge.i:start] if not t.is_punct]
        return toks if any(self._is_title_word(t) for t in toks) else []

    def _right_title(self, doc: Doc, end: int, sent_end: int) -> tuple[list[Token], list[Token]]:
        """(apposition after a comma, "of Russia" right after the name)."""
        appos, of = [], []
        if end < sent_end and doc[end].text == ",":
            j = end + 1
            while j < sent_end and not doc[j].is_punct and doc[j].pos_ not in ("VERB", "AUX"):
                j += 1
            appos = list(doc[end + 1:j])
            if not any(self._is_title_word(t) and t.lower_ not in TITLE_GLUE for t in appos):
                appos = []
        elif end + 1 < sent_end and doc[end].lower_ == "of":
            c, _ = _place_country(doc[end + 1].text, _tagged_place([doc[end + 1]]))
            if c:
                of = [doc[end], doc[end + 1]]
        return appos, of

    def scan_document(self, doc: Doc, memory: ActorMemory, date: str | None = None) -> None:
        """Remember every person the document names, then every later mention of their surnames. `date`
        (ISO, the report's) picks who held an office when the text itself gives a person no country."""
        for sent in doc.sents:
            for start, end in self._name_runs(sent):
                self._scan_name(doc, sent, start, end, memory, date)
        note_later_mentions(doc, memory)

    def _scan_name(self, doc: Doc, sent: Span, start: int, end: int, memory: ActorMemory, date: str | None) -> None:
        """One name run: its title in the text, else an earlier mention, else the dated people dictionary."""
        name = doc[start:end].text
        left = self._left_title(doc, start, sent.start) or self._head_title(doc, start, end)
        appos, of = self._right_title(doc, end, sent.end)
        title_toks = left + of + appos
        title = self.read_title(title_toks) if title_toks else Title()
        not_place = not _place_country(name, False)[0] and not gz.igo_code(name)
        known = memory.by_name(name)
        country, sector = title.implied_country, title.sectors
        org = self._organisation(doc[title_toks[0].i:title_toks[-1].i + 1], None) if title_toks else None
        if country is None and org is not None:
            country, sector = org[0], ["IGO"]  # "UN Secretary-General ..."
        holder = None
        if country is None and (known is None or known.country is None) and not_place:
            holder = self.people.identify(name, date)
        is_person = title.role is not None or holder is not None or (
            not_place and any(e.label_ == "PERSON" for e in doc[start:end].ents))
        if not is_person or (title.role is None and known is None and holder is None and len(name.split()) < 2):
            return
        role = title.role.phrase if title.role else None
        if holder is not None:
            country, sector, role = holder.country, sector or list(holder.sectors), role or holder.role
        memory.remember(Person(name=name, role=role, country=country, sector=sector), doc[start].idx)

    # --- resolving spans ------------------------------------------------------------------------

    def resolve(self, span: Span, memory: ActorMemory) -> Party | None:
        """The Party a noun phrase names, or None when it names nothing political (or both sides at once)."""
        text = span.text.strip()
        if not text or BOTH_SIDES.match(text):
            return None
        tokens = [t for t in span if not t.is_space]
        head = span.root
        if len(tokens) == 1 and head.lower_ in PERSON_PRONOUNS:
            p = memory.recent(before=span.start_char)
            return p.party(text) if p else None
        if head.lemma_.lower() in QUANTIFIERS:  # "dozens of Serbian students" -> the students
            inner = [c for p in head.children if p.lower_ == "of" for c in p.children if c.dep_ == "pobj"]
            if inner:
                party = self.resolve(span.doc[inner[0].left_edge.i:max(inner[0].right_edge.i + 1, span.end)], memory)
                return Party(text, party.country, party.name, party.sector) if party else None
        title = self.read_title(tokens)
        if head.i in title.institution_tokens and head.i not in title.role_tokens:
            title.role = None  # "the Department of Justice" is an institution, not a justice
        person = self._person_in(span, memory)
        if person is not None and (person[1] == head or person[1].head == head and person[1].dep_ in
                                   ("appos", "compound") or head.dep_ == "appos" and head.head == person[1]):
            party = person[0].party(text)
            party.country = party.country or title.implied_country
            return party
        if (title.role or title.institution) and head.i not in title.covered and not _names_place(head) \
                and head.lemma_.lower() not in GROUP_NOUNS:
            return None  # "access to the Russian ambassador": the phrase is about something else
        org = self._organisation(span, head, bool(title.covered & {head.i}) or head.lemma_.lower() in GROUP_NOUNS)
        if org and not (title.country and title.country_kind in ("name", "demonym")):
            code, name = org
            return Party(text=text, country=code, name=name, sector=["SOC"] if code == "NGO" else ["IGO"])
        if title.role is not None and not _plural(head):
            asked = title.role.phrase
            p = memory.recent(before=span.start_char, role=asked, country=title.implied_country)
            if p is not None and (title.country is None or p.country == title.country) and \
                    role_matches(asked, p.role):
                return p.party(text)
        if not (title.role or title.institution or _names_place(head) or head.lemma_.lower() in GROUP_NOUNS
                or person is not None or gz.country_by_name(text)):
            return None  # "US interests", "Russia-US relations": a country only modifies something else
        country = title.implied_country
        if country is None and (head.i in title.institution_tokens or head.lemma_.lower() in GROUP_NOUNS):
            country, _ = self._country(tokens, set(), posted=POSTED - {"in", "at"})  # "the court in Abuja"
        if country is None and title.institution is not None:
            country = self._administration_country(span, memory)
        if country is None and person is not None:
            country = person[0].country
        if country is None:
            return None
        sectors = title.sectors
        if not sectors and title.country_kind == "capital" and len(tokens) <= 2:
            sectors = ["GOV"]
        return Party(text=text, country=country, name=None, sector=sectors)

    def _person_in(self, span: Span, memory: ActorMemory) -> tuple[Person, Token] | None:
        for t in span:
            if t.text[:1].isupper() and t.pos_ == "PROPN":
                p = memory.by_name(t.text)
                if p is not None and p.surname == t.text:
                    return p, t
        return None

    def _organisation(self, span: Span, head: Token | None, head_is_party: bool = True) -> tuple[str, str] | None:
        """The international organisation the span names or qualifies ("NATO troops"): (code, its words);
        with no head given, any organisation the span mentions."""
        toks = [t for t in span if not t.is_space]
        text, base = span.text_with_ws, span.start_char  # the span's own text: Doc.text is rebuilt on every call
        starts, ends = [t.idx - base for t in toks], [t.idx - base + len(t) for t in toks]
        for n in range(min(6, len(toks)), 0, -1):
            for i in range(len(toks) - n + 1):
                words = text[starts[i]:ends[i + n - 1]]  # the chunk's text, without making a Span for it
                if n == 1 and words.lower() == words:
                    continue
                code = gz.igo_code(words)
                if not code:
                    continue
                chunk = span.doc[toks[i].i:toks[i + n - 1].i + 1]
                hyphened = chunk.end < len(span.doc) and span.doc[chunk.end].text == "-"
                if head is None or chunk.start <= head.i < chunk.end or (
                        head_is_party and not hyphened and chunk.root.head == head
                        and chunk.root.dep_ in ("compound", "poss", "nmod", "amod")):
                    return code, re.sub(r"^the\s+", "", chunk.text, flags=re.I)
        return None

    def _administration_country(self, span: Span, memory: ActorMemory) -> str | None:
        """"the <Name> administration": the named leader's country when known, else the United States."""
        names = [c for t in span if t.lower_ == "administration" for c in t.children
                 if c.pos_ == "PROPN" and c.dep_ in ("compound", "poss") and c.text[:1].isupper()]
        if not names:
            return None
        known = memory.by_name(names[-1].text)
        return known.country if known and known.country else "USA"

    def resolve_text(self, text: str, date: str | None = None) -> Party | None:
        """Resolve a bare string (e.g. a classify input's actor field) by parsing it on its own; `date` (ISO)
        is when it was written, for names the people dictionary knows."""
        from ..nlp import load_spacy

        doc = load_spacy()(text)
        memory = ActorMemory()
        self.scan_document(doc, memory, date=date)
        if len(doc) == 0:
            return None
        return self.resolve(doc[:], memory)


def _names_place(t: Token) -> bool:
    """The word, or a country, demonym, capital or city it is part of ("Sri Lanka", "Central African Republic",
    "Sierra Leonean", "Republic of the Congo", "Antigua and Barbuda", "Addis Ababa"), is a place."""
    if _place_country(t.text, _tagged_place([t]))[0] or gz.igo_code(t.text):
        return True
    return t.text[:1].isupper() and any(_place_country(name.text, _tagged_place(name))[0]
                                        for name in _names_around(t))


def _names_around(t: Token) -> list[Span]:
    """Spans of several words that could name a country with `t` as its head: the capitalised words joined to
    it from the left, each alone and extended to the right over "of", "and", "the" and proper nouns."""
    doc, start = t.doc, t.i
    while start > 0 and doc[start - 1].head.i in range(start, t.i + 1) and doc[start - 1].text[:1].isupper() \
            and doc[start - 1].dep_ in ("compound", "amod", "nmod", "flat"):
        start -= 1
    spans, end = [doc[start:t.i + 1]] if start < t.i else [], t.i + 1
    if end < len(doc) and doc[end].lower_ in ("of", "and") and doc[end].head.i == t.i:
        while end < len(doc) and (doc[end].pos_ == "PROPN" or doc[end].lower_ in ("of", "and", "the")):
            end += 1
            if doc[end - 1].pos_ == "PROPN":
                spans.append(doc[start:end])
    return spans


def _plural(t: Token) -> bool:
    return t.tag_ in ("NNS", "NNPS")


def _lower_case_nation(word: str) -> bool:
    """A country or demonym written in lower case ("the palestinian authorities"), unless also an English word."""
    return word.islower() and word not in LOWER_CASE_WORDS and \
        bool(gz.country_by_demonym(word) or gz.country_by_name(word))


def _tagged_place(tokens) -> bool:
    """The parser tagged these words as a place: only then may a city name count ("Vladimir" is often a man)."""
    return all(t.ent_type_ in PLACE_ENTS for t in tokens)


def _place_country(text: str, city_ok: bool = True) -> tuple[str | None, str | None]:
    """(country, kind) for a country name, demonym, capital, region or (when `city_ok`) a city; else (None, None)."""
    if not text[:1].isalpha():
        return None, None
    for kind, fn in (("name", gz.country_by_name), ("demonym", gz.country_by_demonym),
                     ("capital", gz.capital_country), ("region", gz.region_country)):
        c = fn(text)
        if c:
            return c, kind
    if city_ok and text[:1].isupper() and gz.is_city(text, min_population=CITY_PARTY_POPULATION):
        loc = gz.place(text)
        return loc.country, "city"
    return None, None


@lru_cache(maxsize=1)
def load_resolver() -> ActorResolver:
    """The process-wide resolver."""
    return ActorResolver()
