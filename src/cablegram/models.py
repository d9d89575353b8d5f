"""The typed records that flow between stages: documents in, coded events out."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


@dataclass
class Document:
    """One news report. `text` is the original text and is never modified; all offsets point into it."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None  # the outlet that published it, e.g. "TASS"
    original_source: str | None = None  # where the outlet says it came from, e.g. "Kommersant"
    url: str | None = None
    feed_date: str | None = None  # ISO date from metadata or the record's date field
    dateline_date: str | None = None  # ISO date read from a dateline such as "WASHINGTON, June 11. /TASS/."
    dateline_place: str | None = None  # place of filing from the dateline
    body_start: int = 0  # offset of the first character of the body (after headline, metadata, dateline)
    body_end: int | None = None  # where the body ends when only a piece of it is coded (pieces.py); None: the end
    origin: str | None = None  # where it was read from: "path" or "path:line"
    reference_date: str | None = None  # with no dateline or metadata date: the day inferred for it (date_note says how)
    undated_day: tuple[str, str] | None = None  # ("dateline" or "metadata", "October 17"): a day read with no year
    date_note: str | None = None  # how the report's date was inferred, for the notice a run prints; None when read
    warnings: list[str] = field(default_factory=list)  # bad fields read past (an invalid date); the rest is coded

    @property
    def published(self) -> str | None:
        """The date relative expressions resolve against: the dateline wins over feed metadata, and either over
        a date inferred for a report that gives none."""
        return self.dateline_date or self.feed_date or self.reference_date

    @property
    def date_source(self) -> str | None:
        """Where `published` came from: "inferred" (see date_note), "dateline", "metadata", or None."""
        if self.published is None:
            return None
        if self.date_note:
            return "inferred"
        return "dateline" if self.dateline_date else "metadata"

    @property
    def content_hash(self) -> str:
        """Key for idempotent storage: the same text from the same id is the same document."""
        h = hashlib.sha256()
        h.update(self.id.encode("utf-8"))
        h.update(b"\0")
        h.update(self.text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read: where it was and why. Reported, never silently dropped."""

    origin: str
    reason: str


@dataclass
class Party:
    """An actor or recipient: the words in the text and what they resolve to."""

    text: str
    country: str | None = None  # ISO 3166-1 alpha-3 or IGO code
    name: str | None = None
    sector: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Location:
    """Where an event happened: the words, the place and its coordinates."""

    text: str
    country: str | None = None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Mention:
    """One sentence in one document that reports an event."""

    doc_id: str
    sentence: str
    start: int
    end: int
    source: str | None = None
    original_source: str | None = None
    published: str | None = None
    speaker: str | None = None
    hedged: bool = False
    trigger: str | None = None  # the words that signalled the event, for provenance

    def to_dict(self) -> dict:
        """Every field, as `asdict` gives it (all are plain values, so nothing needs copying)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


QUAD = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
    "CONCEDE": "verbal cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation",
    "REQUEST": "verbal conflict", "ACCUSE": "verbal conflict", "REJECT": "verbal conflict",
    "THREATEN": "verbal conflict",
    "PROTEST": "material conflict", "SANCTION": "material conflict", "MOBILIZE": "material conflict",
    "COERCE": "material conflict", "ASSAULT": "material conflict",
}
EVENT_TYPES = tuple(QUAD)
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})  # types whose two sides act together: either order


@dataclass
class Event:
    """A coded PLOVER event, serialised per docs/event.schema.json."""

    event_type: str
    actor: Party
    recipient: Party | None
    status: str = "occurred"
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    confidence: float = 0.5
    date: str | None = None
    date_text: str | None = None
    date_source: str | None = None  # text, report, dateline, metadata or inferred (dates.mark_date_sources)
    location: Location | None = None
    mentions: list[Mention] = field(default_factory=list)
    id: str = ""
    # Set by cross-document consolidation (consolidate/), absent from output until then:
    num_sources: int | None = None  # distinct outlets among the mentions, as GDELT's NumSources
    num_articles: int | None = None  # distinct documents among the mentions, as GDELT's NumArticles
    story_id: str | None = None
    merge: list[dict] = field(default_factory=list)  # what matched at each merge step (cablegram why)

    @property
    def quad(self) -> str | None:
        return QUAD.get(self.event_type)

    def assign_id(self) -> str:
        """Stable id from the first mention and what was coded there: same input, same id."""
        m = self.mentions[0]
        key = "|".join([m.doc_id, str(m.start), str(m.end), self.event_type,
                        self.actor.country or self.actor.text,
                        (self.recipient.country or self.recipient.text) if self.recipient else "",
                        m.trigger or "", self.date or "", self.status])
        self.id = "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        return self.id

    def to_dict(self) -> dict:
        """The documented JSON shape (one JSONL line)."""
        return {
            "id": self.id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "quad": self.quad,
            "status": self.status,
            "confidence": round(float(self.confidence), 4),
            "actor": self.actor.to_dict(),
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "date": self.date,
            "date_text": self.date_text,
            "date_source": self.date_source,
            "location": self.location.to_dict() if self.location else None,
            "mentions": [m.to_dict() for m in self.mentions],
            **self._consolidation_fields(),
        }

    def _consolidation_fields(self) -> dict:
        """The extra fields consolidation adds (the schema allows extra properties); none before it."""
        extra: dict = {}
        if self.num_sources is not None:
            extra["num_sources"], extra["num_articles"] = self.num_sources, self.num_articles
        if self.story_id:
            extra["story_id"] = self.story_id
        if self.merge:
            extra["merge"] = [dict(step) for step in self.merge]
        return extra

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        """Rebuild an event from its JSON shape (as stored), the inverse of `to_dict`."""
        def party(p: dict | None) -> Party | None:
            return Party(p["text"], p.get("country"), p.get("name"), list(p.get("sector") or [])) if p else None

        loc = d.get("location")
        fields = Mention.__dataclass_fields__
        return cls(
            event_type=d["event_type"], actor=party(d["actor"]), recipient=party(d.get("recipient")),
            status=d.get("status", "occurred"), mode=d.get("mode"), context=list(d.get("context") or []),
            confidence=d.get("confidence", 0.5), date=d.get("date"), date_text=d.get("date_text"),
            date_source=d.get("date_source"),
            location=Location(**{k: loc.get(k) for k in ("text", "country", "name", "lat", "lon")}) if loc else None,
            mentions=[Mention(**{k: v for k, v in m.items() if k in fields}) for m in d["mentions"]],
            id=d.get("id", ""), num_sources=d.get("num_sources"), num_articles=d.get("num_articles"),
            story_id=d.get("story_id"), merge=list(d.get("merge") or []))
