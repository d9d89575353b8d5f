"""The learned coder: every sentence that names a political actor is a candidate; the trained pair model
decides, for each (actor, recipient-or-none) pair of its parties, whether the sentence states an event by
the one towards the other; the sentence classifier types it, with the trigger lexicon's reading of the
predicate as a prior; the codebook's rules (negation, promises and plans), dates, places and within-report
merging are the lexicon coder's. Chosen with `--extractor learned`; see docs/extraction.md."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..actors import ActorMemory
from ..coding.candidate import Candidate, anaphoric, content_words, round_ref
from ..coding.classifier import load_classifier
from ..coding.coder import Coder, in_protest
from ..coding.crowds import is_crowd
from ..coding.lexicon import Entry
from ..coding.modality import speaker_token
from ..coding.roles import party_span
from ..coding.triggers import Trigger, clause_of, sense
from ..coding.within import attach_elaborations, date_by_occasion, date_by_round, merge_within
from ..models import Document, Event, Party
from ..normalize import Normalized
from .candidates import Mention as PartyMention
from .candidates import NamedSoFar, find_mentions, listed_together, pairs, with_list_mates
from .acts import acts, clause_text, prior_sense
from .anaphora import antecedent, wanted_kind
from .features import pair_features, predicate
from .model import load_pair_model, load_type_model
from .pair_encoder import load_pair_encoder, marked_text
from .refer_back import fill_targets

UNDIRECTED = frozenset({"MOBILIZE"})  # the one type that is often coded with no target (troops put on alert)
LEXICON_PRIOR = 1.0  # added to the classifier's probability of the type the trigger lexicon gives the predicate:
# probabilities sum to one, so a prior of one or more decides the type alone, and the encoder is not run there
TYPE_MODEL_WEIGHT = 0.25  # the type model's share against the sentence classifier's, where no pair encoder ships


class LearnedCoder(Coder):
    """A Coder whose detection, direction and typing are learned (see the module docstring). It parses every
    sentence: the lexicon prefilter would make the lexicon a gate."""

    def __init__(self):
        super().__init__(prefilter=False)
        self.pair_model = load_pair_model()
        self.type_model = load_type_model()
        self.classifier = load_classifier()
        self.pair_encoder = load_pair_encoder()
        self._encoded: dict[tuple, tuple[float, np.ndarray]] = {}

    def _code_parsed(self, doc: Document, norm: Normalized, parsed: Doc) -> list[Event]:
        memory = ActorMemory()
        self.resolver.scan_document(parsed, memory, date=doc.published)
        found: list[tuple[int, Span, Party | None, list[PartyMention],
                          list[tuple[PartyMention, PartyMention | None]]]] = []
        named = NamedSoFar()
        for position, sent in enumerate(parsed.sents):
            speaker = self._sentence_speaker(sent, memory)
            mentions = find_mentions(sent, lambda tok, span: self._resolve(tok, memory, speaker), named.two())
            named.add(mentions)
            if mentions:
                found.append((position, sent, speaker, mentions, list(pairs(mentions))))
        self._encoded = {}
        probs = iter(self._event_probabilities(
            [pair_features(a, b) for *_, ps in found for a, b in ps],
            [(sent, a, b, predicate(a, b)) for _, sent, _, _, ps in found for a, b in ps]))
        chosen = []
        for position, sent, speaker, mentions, ps in found:
            scored = [(float(next(probs)), a, b) for a, b in ps]
            taken = set()
            for p, a, b in choose_pairs(scored, self.pair_model.threshold, self.pair_model.recipient_threshold):
                act = predicate(a, b)
                for x, y in with_list_mates(a, b, mentions):
                    if _slot(x, y, act) not in taken:
                        taken.add(_slot(x, y, act))
                        chosen.append((position, sent, speaker, p, x, y, act))
        chosen += self._other_acts(chosen)
        chosen = [row for row in chosen if not _refused(row[6])]
        also, also_weight = self._type_probabilities(chosen)
        decided = np.array([LEXICON_PRIOR >= 1.0 and prior_sense(act) is not None for *_, act in chosen], dtype=bool)
        types = self.classifier.predict([(clause_text(act, a.span.text), a.span.text, _words(b or a.partner))
                                         for *_, a, b, act in chosen], deep=lambda _: ~decided, also=also,
                                        also_weight=also_weight) if chosen else []
        crowds: list[Candidate] = []
        for position, sent in enumerate(parsed.sents):
            crowds += self.crowd_candidates(sent, position, memory, crowds)
        candidates = [self._candidate(*row, pred.scores) for row, pred in zip(chosen, types)
                      if not in_protest(row[6], crowds)] + crowds
        candidates.sort(key=lambda c: (c.position, c.trigger.token.i))
        fill_targets(candidates)
        events: list[Event] = []
        for cand in candidates:
            events += self._learned_events(doc, norm, cand)
        date_by_round(candidates)
        date_by_occasion(candidates)
        attach_elaborations(candidates)
        return merge_within(candidates)

    def _resolve(self, tok: Token, memory: ActorMemory, speaker: Party | None) -> Party | None:
        """The party a word names; a pronoun doer or a generic description ("the junta", "the bloc") is the
        nearest party of its kind named just before (extract/anaphora.py)."""
        party = super()._resolve(tok, memory, speaker)
        if party is not None and party.country:
            return party
        kind = wanted_kind(tok)
        if kind is None:
            return party
        return antecedent(tok, kind, lambda span: self.resolver.resolve(span, memory)) or party

    def _other_acts(self, chosen: list[tuple]) -> list[tuple]:
        """The further acts of each chosen pair's doer in the same sentence, where the pair model finds the
        pair an event of that act too: one event per act."""
        taken = {_slot(a, b, act) for *_, a, b, act in chosen}
        rows = [(*row[:6], other) for row in chosen for other in acts(row[6])[1:]
                if _slot(row[4], row[5], other) not in taken]
        if not rows:
            return []
        probs = self._event_probabilities([pair_features(a, b, act) for *_, a, b, act in rows],
                                          [(row[1], *row[4:7]) for row in rows])
        return [(*row[:3], float(p), *row[4:]) for row, p in zip(rows, probs) if p >= self.pair_model.threshold]

    def _event_probabilities(self, features: list[list[str]], marked: list[tuple]) -> np.ndarray:
        """P(event) of each (sentence, doer, target, act): the pair model's, mixed with the pair encoder's."""
        p = self.pair_model.probabilities(features)
        if self.pair_encoder is None or not marked:
            return p
        w = self.pair_encoder.weight
        return (1.0 - w) * p + w * np.array([self._encode(*row)[0] for row in marked])

    def _encode(self, sent: Span, a: PartyMention, b: PartyMention | None, act: Token) -> tuple[float, np.ndarray]:
        """The pair encoder's P(event) and type probabilities (over the classifier's labels) for one marked pair,
        kept for the report so that typing reuses them."""
        key = (a.head.i, b.head.i if b is not None else None, act.i)
        if key not in self._encoded:
            event, types = self.pair_encoder.event_and_types([marked_text(sent, a, b, act)], self.classifier.labels)
            self._encoded[key] = (float(event[0]), types[0])
        return self._encoded[key]

    def _type_probabilities(self, chosen: list[tuple]) -> tuple[np.ndarray, float]:
        """Type probabilities from the pair encoder for the chosen rows, or the sparse type model's where no
        encoder ships, and the share they take against the sentence classifier (the encoder replaces the type
        model: mixing in both typed worse on dev)."""
        if self.pair_encoder is None or not chosen:
            return self.type_model.probabilities([pair_features(a, b, act) for *_, a, b, act in chosen],
                                                 self.classifier.labels), TYPE_MODEL_WEIGHT
        return np.array([self._encode(row[1], *row[4:7])[1] for row in chosen]), self.pair_encoder.weight

    def _sentence_speaker(self, sent: Span, memory: ActorMemory) -> Party | None:
        """Who the sentence credits with what it says (a quoted "we" is their side)."""
        tok = speaker_token(sent.root, sent)
        return self.resolver.resolve(party_span(tok), memory) if tok is not None else None

    def _candidate(self, position: int, sent: Span, speaker: Party | None, p: float, a: PartyMention,
                   b: PartyMention | None, pred_tok: Token, scores: dict[str, float]) -> Candidate:
        """A chosen pair and act as a typed candidate: the classifier's type, with the trigger lexicon's
        reading of the act as a prior."""
        entry = prior_sense(pred_tok)
        scores = dict(scores)
        if entry is not None:
            scores[entry.event_type] += LEXICON_PRIOR
        etype = max(scores, key=scores.get)
        if etype == "PROTEST" and not is_crowd(a.head):
            etype = "ACCUSE"  # a state's protest is diplomatic (codebook, PROTEST ambiguities)
        mode = entry.mode if entry is not None and entry.event_type == etype else None
        trig = Trigger(pred_tok, Entry(pred_tok.lemma_.lower(), "V", etype, mode, frozenset()), clause_of(pred_tok))
        return Candidate(
            sent, trig, actors=[a.party], recipients=[b.party] if b else [], pair=[],
            both=_coordinated(a, b), speaker=speaker,
            speaker_text=(speaker.name or speaker.text) if speaker else None, agentive=False,
            words=content_words(trig.clause), round_ref=round_ref(trig), anaphoric=anaphoric(trig),
            position=position, confidence=0.5 * p + 0.5 * min(1.0, scores[etype]))

    def _learned_events(self, doc: Document, norm: Normalized, cand: Candidate) -> list[Event]:
        framed = self._framed(doc, norm, cand)
        if framed is None:
            return []
        etype, mode, planned, location = framed
        if not cand.recipients and etype not in UNDIRECTED:
            return []  # a directed act whose target the text does not name: nothing to record between sides
        cand.events = [Event(event_type=etype_final, mode=mode if etype_final == etype else None, actor=actor,
                             recipient=recipient, status=status, date=date, date_text=date_text, location=location,
                             confidence=cand.confidence, mentions=[replace(cand.mention)])
                       for actor in cand.actors for recipient in cand.recipients or [None]
                       for date, date_text, status, etype_final in self._dated(doc, cand, etype, planned)]
        return cand.events


def choose_pairs(scored: list[tuple[float, PartyMention, PartyMention | None]], threshold: float,
                 recipient_threshold: float) -> list[tuple[float, PartyMention, PartyMention | None]]:
    """The events of one sentence from its scored pairs: a side the model finds acting (alone or towards
    someone, at `threshold`) takes as recipient the side it most likely acts on, when that pair reaches
    `recipient_threshold`; coordinated doers of one act ("A and B signed") face each other when nobody else
    is named. One event per pair of sides, in its likelier direction."""
    single = {}
    towards: dict[str, list[tuple[float, PartyMention, PartyMention]]] = {}
    for p, a, b in scored:
        if b is None:
            if p > single.get(a.key, (0.0, None))[0]:
                single[a.key] = (p, a)
        else:
            towards.setdefault(a.key, []).append((p, a, b))
    acting = [k for k in dict.fromkeys(a.key for _, a, _ in scored)  # in text order, so runs agree
              if single.get(k, (0.0, None))[0] >= threshold or max((p for p, _, _ in towards.get(k, [])),
                                                                   default=0.0) >= threshold]
    best: dict[tuple, tuple[float, PartyMention, PartyMention | None]] = {}
    for key in acting:  # one event per pair of sides and the word it hangs on
        ps = sorted(towards.get(key, []), key=lambda t: -t[0])
        if ps and ps[0][0] >= recipient_threshold:
            picks = [ps[0]] + [t for t in ps[1:] if t[0] >= threshold]  # a second act towards someone else
        else:
            p, a = single[key] if key in single else ps[0][:2]
            mates = [m for m in acting if m != key and _coordinated(a, single.get(m, (0, None))[1])]
            picks = [(p, a, a.partner or (single[mates[0]][1] if mates else None))]
        for p, a, b in picks:
            slot = (*sorted((a.key, b.key if b else "")), predicate(a, b).i)
            if slot not in best or p > best[slot][0]:
                best[slot] = (p, a, b)
    return [best[k] for k in sorted(best, key=lambda k: best[k][1].head.i)]


def _refused(act: Token) -> bool:
    """The act is what a refusal is about ("called off a planned visit"): the codebook codes the REJECT, not the
    visit."""
    if act.dep_ not in ("dobj", "nsubjpass"):
        return False
    refusal = sense(act.head)
    return refusal is not None and refusal.event_type == "REJECT"


def _slot(a: PartyMention, b: PartyMention | None, act: Token) -> tuple:
    """What makes two chosen rows the same event: the doer's side, the target's, and the act."""
    return a.key, b.key if b else None, act.i


def _words(m: PartyMention | None) -> str | None:
    return m.span.text if m is not None else None


def _coordinated(a: PartyMention, b: PartyMention | None) -> bool:
    return b is not None and listed_together(a, b)
