"""Code one document into PLOVER events: parse, find triggers, resolve parties, dates, places and framing."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from ..actors import ActorMemory, load_resolver
from ..dates import is_future_reference, mark_date_sources
from ..models import SYMMETRIC, Document, Event, Location, Mention, Party
from ..nlp import load_spacy
from ..normalize import Normalized, normalize
from ..pieces import code_in_pieces
from ..places import find_location
from .lexicon import ACCUSED_DOER, JOINT_ONLY, REPORTING_VERBS, Entry, trigger_words
from .candidate import Candidate, anaphoric, content_words, round_ref
from .crowds import crowd_protests, crowd_side, forces_on_crowds, protest_target
from .dating import act_dates
from .military import exercise, forces_moved, joint_exercise
from .modality import future, hedged, hypothetical, negated, speaker_token
from .prefilter import blank_unneeded, load_filter
from .roles import find_roles, has_subject, party_span
from .triggers import Trigger, clause_of, find_triggers
from .within import attach_elaborations, date_by_occasion, date_by_round, merge_within
from .typing import EventTyper

PLANNED_AS = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE", "RETREAT": "CONCEDE"}
NEGATED_AS_REJECT = {"AGREE": None, "CONSULT": "meet", "SUPPORT": None, "COOPERATE": "assist", "AID": "assist",
                     "CONCEDE": "yield", "RETREAT": "yield"}
THREAT_CONTENT = {"ASSAULT": "violence", "MOBILIZE": "violence", "COERCE": None, "SANCTION": None}  # threat mode by type
THREAT_MODE = {"arrest": "arrest", "restrict": "restrict", "seize": "territory", "expel": "expel",
               "discontinue": "relations", "withdraw": "relations"}  # ... or by the act's own mode
DYAD_SHARE = 0.6  # the two most-named countries must hold this share of party mentions to stand in for a missing side
LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "within", "outside", "across", "throughout", "around"})
GROUPS = r"(sides|countries|governments|parties|delegations|nations|leaders|capitals|teams|militaries|armies|states)"
BOTH_SIDES = re.compile(rf"\b(both {GROUPS}|both of them|the two( \w+)?|each other|the parties|the sides)\b", re.I)
FIRST_PERSON = frozenset({"we", "i", "us", "our", "my"})
RECIPROCAL = re.compile(r"\b(each other|one another|reciprocal|mutual|tit-for-tat)\b", re.I)
JOINT_ACTS = frozenset({"sign", "initial", "ratify", "conclude", "finalize", "finalise", "exchange"})
THIRD_PERSON_POSSESSIVE = frozenset({"its", "their"})


def _party_key(p: Party) -> str:
    return p.country or (p.name or p.text).lower()


def unique_parties(parties: Iterable[Party | None]) -> list[Party]:
    """The parties that have a country or organisation code, each side once, in order."""
    seen, out = set(), []
    for p in parties:
        if p is not None and p.country and _party_key(p) not in seen:
            seen.add(_party_key(p))
            out.append(p)
    return out


class Coder:
    """Turns Documents into coded Events; models load once, documents stream through `nlp.pipe`."""

    def __init__(self, use_classifier: bool = True, prefilter: bool = True):
        self.nlp = load_spacy()
        self.prefilter = load_filter() if prefilter else None
        self.resolver = load_resolver()
        self.typer = EventTyper(use_classifier=use_classifier)
        self.words = trigger_words()

    def code(self, doc: Document) -> list[Event]:
        """Events of one document."""
        return next(self.code_stream([doc]))[1]

    def code_stream(self, docs: Iterable[Document], batch_size: int = 64,
                    on_error: Callable[[Document, Exception], None] | None = None,
                    ) -> Iterator[tuple[Document, list[Event]]]:
        """(document, events) for each document, parsing in batches; a long document is coded in pieces
        (pieces.py) and each event says where its date came from (dates.mark_date_sources). A document whose
        coding fails is handed to `on_error` and the stream goes on (without `on_error` the error propagates)."""
        for doc, events in code_in_pieces(self._code_pieces, docs, on_error, batch_size):
            yield doc, mark_date_sources(doc, events)

    def _code_pieces(self, docs: Iterable[Document], batch_size: int,
                     on_error: Callable[[Document, Exception], None] | None) -> Iterator[tuple[Document, list[Event]]]:
        """(piece, events) for each piece of a document; sentences the prefilter rules out reach the parser
        as blanks."""
        def prepared():
            for d in docs:
                try:
                    norm = normalize(d.text[d.body_start:d.body_end])
                    text = norm.text
                    if self.prefilter is not None:
                        text, blanked = blank_unneeded(text, self.prefilter)
                        text = "" if blanked == len(text) else text  # nothing to code: skip the parse
                except Exception as exc:
                    if on_error is None:
                        raise
                    on_error(d, exc)
                    continue
                yield text, (d, norm)

        for parsed, (doc, norm) in self.nlp.pipe(prepared(), as_tuples=True, batch_size=batch_size):
            try:
                events = self._code_parsed(doc, norm, parsed)
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(doc, exc)
                continue
            yield doc, events

    def _code_parsed(self, doc: Document, norm: Normalized, parsed: Doc) -> list[Event]:
        memory = ActorMemory()
        self.resolver.scan_document(parsed, memory, date=doc.published)
        candidates = []
        for position, sent in enumerate(parsed.sents):
            crowds = self.crowd_candidates(sent, position, memory, candidates)
            candidates += crowds
            if not any(t.lemma_.lower() in self.words for t in sent):
                continue
            for trig in find_triggers(sent):
                if in_protest(trig.token, crowds):
                    continue
                cand = self._candidate(sent, trig, memory)
                cand.position = position
                if trig.token.lemma_.lower() in JOINT_ONLY and (len(cand.actors) == 1 or cand.lone_actor) \
                        and not (cand.both or cand.pair):
                    continue  # one side's own decision is not an agreement with anyone
                candidates.append(cand)
        dyad, dominant = self._dyad(parsed, candidates)
        events: list[Event] = []
        for cand in candidates:
            events += self._events(doc, norm, cand, dyad, dominant)
        date_by_round(candidates)
        date_by_occasion(candidates)
        attach_elaborations(candidates)
        ruled = [ev.event_type != c.trigger.entry.event_type or c.trigger.entry.mode is not None
                 for c in candidates for ev in c.events]  # a rule or a codebook sense with its mode stands
        self.typer.assign(events, ruled)
        return merge_within(candidates)

    def _resolve(self, tok: Token, memory: ActorMemory, speaker: Party | None) -> Party | None:
        if tok.lower_ in FIRST_PERSON and tok.pos_ == "PRON":  # "us", not "US"
            return speaker
        if tok.lower_ in ("it", "they") and tok.dep_ in ("nsubj", "nsubjpass"):
            teller = _reporting_subject(tok)
            if teller is not None:  # "the foreign office said it remained committed": the office
                return self._resolve(teller, memory, speaker)
        party = self.resolver.resolve(party_span(tok), memory)
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ in THIRD_PERSON_POSSESSIVE:  # "its foreign office", "its property"
            whose = self._antecedent(owner, memory)
            if whose is None or party is None:
                return whose
            return Party(party.text, whose.country, party.name, party.sector)
        if party is None and owner is not None:  # "Russia's diplomatic property": the owner is the party
            return self._resolve(owner, memory, speaker)
        if party is None and tok.dep_ == "nsubjpass":  # "the process for Russian staff has been eased": for whom
            for beneficiary in (o for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"
                                for o in c.children if o.dep_ == "pobj"):
                return self.resolver.resolve(party_span(beneficiary), memory)
        return party

    def _joint(self, head: Token, memory: ActorMemory) -> list[Party]:
        """Countries of coordinated modifiers of one noun ("Iranian and American negotiators",
        "Russian-American talks"): more than one means the phrase names both sides at once."""
        mods = [m for c in head.children if c.dep_ in ("amod", "compound", "nmod") for m in [c, *c.conjuncts]]
        parties = [self.resolver.resolve(m.doc[m.i:m.i + 1], memory) for m in mods if m.pos_ in ("ADJ", "PROPN")]
        return unique_parties(parties) if len(unique_parties(parties)) >= 2 else []

    def _antecedent(self, pronoun: Token, memory: ActorMemory) -> Party | None:
        """The nearest country-level party named earlier in the same sentence ("Russia ... its property"), or
        in the sentence before ("Pakistan has denied it. Its foreign office said ...")."""
        sent = pronoun.sent
        before = pronoun.doc[sent.start - 1].sent.ents if sent.start > 0 else []
        for ent in reversed([*before, *(e for e in sent.ents if e.end <= pronoun.i)]):
            if ent.label_ in ("GPE", "NORP", "ORG"):
                party = self.resolver.resolve(ent, memory)
                if party is not None and party.country:
                    return party
        return None

    def crowd_candidates(self, sent: Span, position: int, memory: ActorMemory,
                         earlier: list[Candidate]) -> list[Candidate]:
        """The sentence's crowds (coding/crowds.py) as candidates whose sides are decided: their protests, and
        forces acting on them at home (whose country, when the sentence names none, is that of a crowd told in the
        sentence before, in `earlier`)."""
        def resolve(tok: Token) -> Party | None:
            return self._resolve(tok, memory, None)

        def candidate(act: Token, etype: str, mode: str | None, actor: Party, recipient: Party) -> Candidate:
            trig = Trigger(act, Entry(act.lemma_.lower(), "V", etype, mode, frozenset()), clause_of(act))
            return Candidate(
                sent, trig, actors=[actor], recipients=[recipient], pair=[], both=False, speaker=None,
                speaker_text=None, agentive=False, words=content_words(trig.clause), round_ref=round_ref(trig),
                anaphoric=anaphoric(trig), position=position, decided=True)
        found = []
        for crowd, act, mode in crowd_protests(sent):
            home = crowd_side(crowd, act, resolve)
            if home is not None:
                found.append(candidate(act, "PROTEST", mode, home, protest_target(act, home, resolve)))
        before = [c.actors[0] for c in earlier + found if c.decided and c.trigger.entry.event_type == "PROTEST"
                  and position - c.position <= 1]
        for forces, act, crowd, etype, mode in forces_on_crowds(sent):
            home = crowd_side(forces, act, resolve) or (before[-1] if before else None)
            if home is not None:
                crowd_home = crowd_side(crowd, act, resolve) if any(
                    m.dep_ in ("amod", "compound", "nmod", "poss") for m in crowd.children) else None
                found.append(candidate(act, etype, mode, Party(party_span(forces).text, home.country,
                                                               sector=["COP"]), crowd_home or home))
        return found

    def _candidate(self, sent: Span, trig: Trigger, memory: ActorMemory) -> Candidate:
        roles = find_roles(trig)
        sp_tok = speaker_token(trig.token, sent)
        speaker = self.resolver.resolve(party_span(sp_tok), memory) if sp_tok is not None else None
        speaker_text = (speaker.name or speaker.text) if speaker else (party_span(sp_tok).text if sp_tok else None)
        both = any(BOTH_SIDES.search(party_span(t).text) for t in roles.actors + roles.pair)
        joint = [p for t in roles.actors for p in self._joint(t, memory)]
        if len(joint) >= 2:  # "Iranian and American negotiators": both sides act together
            roles.pair += [t for t in roles.actors]
            roles.actors = []
        both_targets = any(BOTH_SIDES.search(party_span(t).text) for t in roles.recipients)
        return Candidate(
            sent, trig,
            actors=unique_parties(self._resolve(t, memory, speaker) for t in roles.actors),
            recipients=unique_parties(self._resolve(t, memory, speaker) for t in roles.recipients),
            pair=unique_parties([*joint, *(self._resolve(t, memory, speaker) for t in roles.pair)]) if len(joint) >= 2
            else unique_parties(self._resolve(t, memory, speaker) for t in roles.pair),
            lone_actor=len(roles.actors) == 1 and roles.actors[0].tag_ in ("NN", "NNP"),
            has_object=any(c.dep_ == "dobj" for c in trig.clause.children),
            both=both, both_targets=both_targets, speaker=speaker, speaker_text=speaker_text, agentive=_agentive(trig),
            words=content_words(trig.clause), round_ref=round_ref(trig), anaphoric=anaphoric(trig))

    def _dyad(self, parsed: Doc, candidates: list[Candidate]) -> tuple[list[Party], bool]:
        """The document's two most-named countries, and whether they dominate it. "The two sides" means them
        always; a side a sentence leaves implicit is filled from them only when they dominate the report."""
        counts: Counter[str] = Counter()
        first: dict[str, Party] = {}
        for ent in parsed.ents:  # named countries first, so they stand for their side
            if ent.label_ in ("GPE", "NORP"):
                p = self.resolver.resolve(ent, ActorMemory())
                if p and p.country:
                    counts[p.country] += 1
                    first.setdefault(p.country, p)
        for c in candidates:  # the parties of events count thrice: they are what the report is about
            for p in c.actors + c.recipients + c.pair:
                counts[p.country] += 3
                first.setdefault(p.country, p)
        top = counts.most_common(2)
        if len(top) < 2:
            return [], False
        return [first[c] for c, _ in top], sum(n for _, n in top) >= DYAD_SHARE * sum(counts.values())

    def _clause_other(self, cand: Candidate, actor: Party) -> Party | None:
        """A party of another country named inside the trigger's clause: the recipient when syntax gave none."""
        clause = cand.trigger.clause
        for ent in cand.sent.ents:
            if ent.root.dep_ == "pobj" and ent.root.head.lower_ in LOCATIVE_PREPS:
                continue  # "a resolution in Ukraine": where, not who
            if ent.label_ in ("GPE", "NORP", "ORG") and clause.left_edge.i <= ent.start and ent.end <= clause.right_edge.i + 1:
                p = self.resolver.resolve(ent, ActorMemory())
                if p and p.country and p.country != actor.country:
                    return p
        return None

    def _pairs(self, cand: Candidate, dyad: list[Party], dominant: bool) -> list[tuple[Party, Party | None]]:
        if cand.decided:
            return [(a, r) for a in cand.actors for r in cand.recipients]
        etype = cand.trigger.entry.event_type
        actors, recipients = list(cand.actors), list(cand.recipients)
        if cand.trigger.token.lemma_.lower() in ACCUSED_DOER:  # "obstructed by hawks in Congress", says the envoy
            actors, recipients = ([cand.speaker] if cand.speaker and cand.speaker.country else []), actors + recipients
        if len(cand.pair) >= 2 and etype in SYMMETRIC:  # "mediated talks between Hamas and Israel"
            actors, recipients = cand.pair[:1], cand.pair[1:]
        elif not actors and cand.pair:
            actors, recipients = cand.pair[:1], recipients + cand.pair[1:]
        elif cand.pair:
            recipients += [p for p in cand.pair if all(p.country != a.country for a in actors)]
        if cand.both_targets and actors and len(dyad) == 2:
            recipients = [d for d in dyad if all(d.country != a.country for a in actors)]
        if len(dyad) == 2 and (cand.both or not actors and dominant and etype in SYMMETRIC):
            actors, recipients = [dyad[0]], [dyad[1]]
        if not actors and cand.agentive and cand.speaker and cand.speaker.country:
            actors = [cand.speaker]
        if not actors and dominant:
            actors = _other_side(recipients, dyad)
        actors = unique_parties(actors)
        recipients = [r for r in unique_parties(recipients) if all(_party_key(r) != _party_key(a) for a in actors)]
        if not actors:
            return []
        if len(actors) >= 2 and not recipients:
            if etype in SYMMETRIC or cand.trigger.token.lemma_.lower() in JOINT_ACTS:  # "A and B signed a pact"
                return [(actors[0], actors[1])]
            if RECIPROCAL.search(cand.sent.text):  # "reciprocal expulsions by Washington and Moscow"
                return [(a, b) for a in actors for b in actors if a is not b]
            return [(a, None) for a in actors]  # "the EU and the US both welcomed the news"
        if not recipients:
            other = self._clause_other(cand, actors[0])
            if other is None and dominant and not (etype == "CONSULT" and cand.lone_actor) and \
                    not (etype == "SUPPORT" and cand.has_object):  # "welcomed the result": a thing, not a side
                other = next(iter(_other_side(actors[:1], dyad)), None)
            recipients = [other] if other else []
        return [(a, r) for a in actors for r in (recipients or [None])]

    def _events(self, doc: Document, norm: Normalized, cand: Candidate, dyad: list[Party],
                dominant: bool) -> list[Event]:
        framed = self._framed(doc, norm, cand)
        if framed is None:
            return []
        etype, mode, planned, location = framed
        events = []
        for date, date_text, status, etype_final in self._dated(doc, cand, etype, planned):
            for actor, recipient in self._pairs(cand, dyad, dominant):
                if etype_final == "CONSULT" and recipient is None:
                    continue  # a meeting needs someone to meet
                events.append(Event(
                    event_type=etype_final, mode=mode if etype_final == etype else None, actor=actor,
                    recipient=recipient, status=status, date=date, date_text=date_text,
                    location=location, mentions=[replace(cand.mention)]))
        cand.events = events
        return events

    def _framed(self, doc: Document, norm: Normalized,
                cand: Candidate) -> tuple[str, str | None, bool, Location | None] | None:
        """The codebook's reading of a candidate's clause: its type and mode (a negated act is a REJECT, or
        nothing when the codebook has no refusal for it; a conflict act only put as possible or conditional is a
        THREATEN), whether it is announced rather than done, and where it happened. Places the sentence in the
        original text as the candidate's mention."""
        trig, sent = cand.trigger, cand.sent
        etype, mode = trig.entry.event_type, trig.entry.mode
        if negated(trig.token, trig.clause):
            if etype not in NEGATED_AS_REJECT:
                return None
            etype, mode = "REJECT", NEGATED_AS_REJECT[etype]
        if etype not in ("REJECT", "THREATEN", "ASSAULT", "MOBILIZE") and forces_moved(trig.token):
            etype, mode = "MOBILIZE", "troops"  # codebook, MOBILIZE: military moves short of the use of force
        drill = exercise(trig.token)
        if drill is not None and etype != "REJECT":  # codebook, MOBILIZE: joint exercises COOPERATE, others MOBILIZE
            joint = cand.both or len(cand.pair) >= 2 or len(cand.actors) >= 2 or joint_exercise(drill)
            etype, mode = ("COOPERATE", None) if joint else ("MOBILIZE", "troops")
        planned = future(trig.token, trig.clause) or is_future_reference(
            sent.text[trig.clause.left_edge.idx - sent.start_char:])
        if etype in THREAT_CONTENT and hypothetical(trig.clause):  # codebook: ASSAULT + hypothetical = THREATEN
            etype, mode = "THREATEN", THREAT_CONTENT[etype] or THREAT_MODE.get(mode or "")
        planned = planned and etype != "THREATEN"  # a threat is made when voiced, whatever future it holds
        lead = len(sent.text) - len(sent.text.lstrip())  # white space (or a blanked sentence) is no part of it
        start, end = norm.to_original(sent.start_char + lead, sent.start_char + len(sent.text.rstrip()))
        start, end = start + doc.body_start, end + doc.body_start
        original = doc.text[start:end]
        end -= len(original) - len(original.rstrip())
        cand.mention = Mention(
            doc_id=doc.id, sentence=doc.text[start:end], start=start, end=end, source=doc.source,
            original_source=doc.original_source, published=doc.published, speaker=cand.speaker_text,
            hedged=hedged(sent), trigger=trig.token.text)
        return etype, mode, planned, find_location(sent, trig.clause)

    def _dated(self, doc: Document, cand: Candidate, etype: str,
               planned: bool) -> Iterator[tuple[str | None, str | None, str, str]]:
        """(date, its words, status, type) for each date the clause gives; a planned act becomes its promise
        (a future meeting is an AGREE)."""
        for date, date_text in act_dates(cand, doc.published, planned):
            status = "planned" if planned or (date and doc.published and date[:10] > doc.published) else "occurred"
            yield date, date_text, status, PLANNED_AS.get(etype, etype) if status == "planned" else etype


def in_protest(tok: Token, crowds: list[Candidate]) -> bool:
    """The word lies in a crowd's protest: the codebook codes a protest's topic (its demands) not on its own."""
    return any(tok in c.trigger.token.subtree for c in crowds)


def _reporting_subject(pronoun: Token) -> Token | None:
    """The subject of the reporting verb whose reported clause the pronoun is the subject of."""
    clause = pronoun.head
    while clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in REPORTING_VERBS:
        return next((c for c in clause.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
    return None


def _agentive(trig: Trigger) -> bool:
    """The trigger's clause is active and could have named its doer: a passive or a participle describing a
    noun ("property seized in the US") names only what was done, so the reporting speaker is not its doer."""
    clause = trig.clause
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in clause.children) or clause.dep_ == "acl":
        return False
    return not has_subject(clause)


def _other_side(parties: list[Party], dyad: list[Party]) -> list[Party]:
    """The dyad member facing the first of `parties`, when that party is one of the dyad."""
    codes = [d.country for d in dyad]
    for p in parties:
        if p.country in codes:
            return [dyad[1 - codes.index(p.country)]]
    return []
