"""Code one document into PLOVER events: parse, find triggers, resolve parties, dates, places and framing."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from ..actors import ActorMemory, load_resolver
from ..dates import find_dates, is_future_reference
from ..models import Document, Event, Mention, Party
from ..nlp import load_spacy
from ..normalize import Normalized, normalize
from ..places import find_location
from .lexicon import trigger_words
from .modality import future, hedged, negated, speaker_token
from .roles import find_roles, party_span
from .triggers import Trigger, find_triggers
from .typing import EventTyper

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
PLANNED_AS = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE", "RETREAT": "CONCEDE"}
NEGATED_AS_REJECT = {"AGREE": None, "CONSULT": "meet", "SUPPORT": None, "COOPERATE": "assist", "AID": "assist",
                     "CONCEDE": "yield", "RETREAT": "yield"}
BOTH_SIDES = re.compile(r"\b(both|the two|each other|the parties|the sides|two sides|two countries)\b", re.I)
FIRST_PERSON = frozenset({"we", "i", "us", "our", "my"})


@dataclass
class Candidate:
    """One trigger with its resolved parties, before fall-backs, typing and merging."""

    sent: Span
    trigger: Trigger
    actors: list[Party]
    recipients: list[Party]
    pair: list[Party]
    both: bool
    speaker: Party | None
    speaker_text: str | None
    events: list[Event] = field(default_factory=list)


def _party_key(p: Party) -> str:
    return p.country or (p.name or p.text).lower()


def _unique(parties: Iterable[Party | None]) -> list[Party]:
    seen, out = set(), []
    for p in parties:
        if p is not None and p.country and _party_key(p) not in seen:
            seen.add(_party_key(p))
            out.append(p)
    return out


class Coder:
    """Turns Documents into coded Events; models load once, documents stream through `nlp.pipe`."""

    def __init__(self, use_classifier: bool = True):
        self.nlp = load_spacy()
        self.resolver = load_resolver()
        self.typer = EventTyper(use_classifier=use_classifier)
        self.words = trigger_words()

    def code(self, doc: Document) -> list[Event]:
        """Events of one document."""
        return next(self.code_stream([doc]))[1]

    def code_stream(self, docs: Iterable[Document], batch_size: int = 16,
                    on_error: Callable[[Document, Exception], None] | None = None,
                    ) -> Iterator[tuple[Document, list[Event]]]:
        """(document, events) for each document, parsing in batches. A document whose coding fails is
        handed to `on_error` and the stream goes on (without `on_error` the error propagates)."""
        def prepared():
            for d in docs:
                norm = normalize(d.text[d.body_start:])
                yield norm.text, (d, norm)

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
        self.resolver.scan_document(parsed, memory)
        candidates = []
        for sent in parsed.sents:
            if not any(t.lemma_.lower() in self.words for t in sent):
                continue
            for trig in find_triggers(sent):
                candidates.append(self._candidate(sent, trig, memory))
        dyad = self._dyad(parsed, candidates)
        events: list[Event] = []
        for cand in candidates:
            events += self._events(doc, norm, cand, dyad)
        ruled = [ev.event_type != c.trigger.entry.event_type for c in candidates for ev in c.events]
        self.typer.assign(events, ruled)
        return _merge_within(events)

    def _resolve(self, tok: Token, memory: ActorMemory, speaker: Party | None) -> Party | None:
        if tok.lower_ in FIRST_PERSON:
            return speaker
        return self.resolver.resolve(party_span(tok), memory)

    def _candidate(self, sent: Span, trig: Trigger, memory: ActorMemory) -> Candidate:
        roles = find_roles(trig)
        sp_tok = speaker_token(trig.token, sent)
        speaker = self.resolver.resolve(party_span(sp_tok), memory) if sp_tok is not None else None
        speaker_text = (speaker.name or speaker.text) if speaker else (party_span(sp_tok).text if sp_tok else None)
        both = any(BOTH_SIDES.search(party_span(t).text) for t in roles.actors + roles.pair)
        return Candidate(
            sent, trig,
            actors=_unique(self._resolve(t, memory, speaker) for t in roles.actors),
            recipients=_unique(self._resolve(t, memory, speaker) for t in roles.recipients),
            pair=_unique(self._resolve(t, memory, speaker) for t in roles.pair),
            both=both, speaker=speaker, speaker_text=speaker_text)

    def _dyad(self, parsed: Doc, candidates: list[Candidate]) -> list[Party]:
        """The document's two main parties by country: the fall-back for "both sides" and bare "talks"."""
        counts: Counter[str] = Counter()
        first: dict[str, Party] = {}
        for c in candidates:
            for p in c.actors + c.recipients + c.pair:
                counts[p.country] += 1
                first.setdefault(p.country, p)
        for ent in parsed.ents:
            if ent.label_ in ("GPE", "NORP"):
                p = self.resolver.resolve(ent, ActorMemory())
                if p and p.country:
                    counts[p.country] += 1
                    first.setdefault(p.country, p)
        return [first[c] for c, _ in counts.most_common(2)]

    def _clause_other(self, cand: Candidate, actor: Party) -> Party | None:
        """A party of another country named inside the trigger's clause: the recipient when syntax gave none."""
        clause = cand.trigger.clause
        for ent in cand.sent.ents:
            if ent.label_ in ("GPE", "NORP", "ORG") and clause.left_edge.i <= ent.start and ent.end <= clause.right_edge.i + 1:
                p = self.resolver.resolve(ent, ActorMemory())
                if p and p.country and p.country != actor.country:
                    return p
        return None

    def _pairs(self, cand: Candidate, dyad: list[Party]) -> list[tuple[Party, Party | None]]:
        etype = cand.trigger.entry.event_type
        actors, recipients = list(cand.actors), list(cand.recipients)
        if not actors and cand.pair:
            actors, recipients = cand.pair[:1], recipients + cand.pair[1:]
        elif cand.pair:
            recipients += [p for p in cand.pair if all(p.country != a.country for a in actors)]
        if (not actors or cand.both) and len(dyad) == 2 and (cand.both or etype in SYMMETRIC):
            actors, recipients = [dyad[0]], [dyad[1]]
        if not actors and cand.speaker and cand.speaker.country:
            actors = [cand.speaker]
        actors = _unique(actors)
        recipients = [r for r in _unique(recipients) if all(_party_key(r) != _party_key(a) for a in actors)]
        if not actors:
            return []
        if len(actors) >= 2 and not recipients:
            if etype in SYMMETRIC:
                return [(actors[0], actors[1])]
            return [(a, b) for a in actors for b in actors if a is not b]
        if not recipients:
            other = self._clause_other(cand, actors[0])
            if other is None and etype in SYMMETRIC and len(dyad) == 2:
                codes = [d.country for d in dyad]
                if actors[0].country in codes:
                    other = dyad[1 - codes.index(actors[0].country)]
            recipients = [other] if other else []
        return [(a, r) for a in actors for r in (recipients or [None])]

    def _dates(self, cand: Candidate, published: str | None, planned: bool) -> list[tuple[str | None, str | None]]:
        """Dates said inside the trigger's clause; several joined by "and" become several events."""
        sent, clause = cand.sent, cand.trigger.clause
        lo = clause.left_edge.idx - sent.start_char
        hi = clause.right_edge.idx + len(clause.right_edge) - sent.start_char
        found = [(d, t) for d, t, s, e in find_dates(sent.text, published, prefer="future" if planned else None)
                 if s >= lo and e <= hi]
        if not found:
            return [(None if planned else published, None)]
        if len(found) > 1 and cand.trigger.entry.event_type in ("CONSULT", "ASSAULT", "PROTEST", "SANCTION"):
            return found
        anchor = cand.trigger.token.idx - sent.start_char
        return [min(found, key=lambda dt: abs(sent.text.find(dt[1]) - anchor))]

    def _events(self, doc: Document, norm: Normalized, cand: Candidate, dyad: list[Party]) -> list[Event]:
        trig, sent = cand.trigger, cand.sent
        etype, mode = trig.entry.event_type, trig.entry.mode
        if negated(trig.token, trig.clause):
            if etype not in NEGATED_AS_REJECT:
                return []
            etype, mode = "REJECT", NEGATED_AS_REJECT[etype]
        planned = future(trig.token, trig.clause) or is_future_reference(
            sent.text[trig.clause.left_edge.idx - sent.start_char:])
        start, end = norm.to_original(sent.start_char, sent.end_char)
        start, end = start + doc.body_start, end + doc.body_start
        original = doc.text[start:end]
        end -= len(original) - len(original.rstrip())
        location = find_location(sent)
        events = []
        for date, date_text in self._dates(cand, doc.published, planned):
            status = "planned" if planned or (date and doc.published and date[:10] > doc.published) else "occurred"
            etype_final = PLANNED_AS.get(etype, etype) if status == "planned" else etype
            for actor, recipient in self._pairs(cand, dyad):
                mention = Mention(
                    doc_id=doc.id, sentence=doc.text[start:end], start=start, end=end, source=doc.source,
                    original_source=doc.original_source, published=doc.published, speaker=cand.speaker_text,
                    hedged=hedged(sent), trigger=trig.token.text)
                events.append(Event(
                    event_type=etype_final, mode=mode if etype_final == etype else None, actor=actor,
                    recipient=recipient, status=status, date=date, date_text=date_text,
                    location=location, mentions=[mention]))
        cand.events = events
        return events


def _merge_within(events: list[Event]) -> list[Event]:
    """One event per (type, parties, date, status) in a document, carrying every sentence that reports it."""
    merged: dict[tuple, Event] = {}
    for ev in events:
        sides = (ev.actor.country, ev.recipient.country if ev.recipient else None)
        if ev.event_type in SYMMETRIC:
            sides = tuple(sorted(sides, key=lambda c: c or ""))
        key = (ev.event_type, sides, ev.date, ev.status)
        if key in merged:
            kept = merged[key]
            kept.mentions += [m for m in ev.mentions if all(m.start != k.start for k in kept.mentions)]
            kept.location = kept.location or ev.location
            kept.confidence = max(kept.confidence, ev.confidence)
        else:
            merged[key] = ev
    out = list(merged.values())
    for ev in out:
        ev.assign_id()
    return out
