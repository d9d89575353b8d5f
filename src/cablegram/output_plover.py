"""Events in the PLOVER data exchange layout (the JSON field names of the PLOVER codebook, as POLECAT uses them).

One JSON object per line. Fields the codebook names keep its names (`event`, `actor`, `recipient`, `event_loc`,
`event_text`, `quad_code`, `text_info`, `cite_info`); what PLOVER has no field for is added under names of our
own (`cameo_root`, `status`, `confidence`, `num_sources`, `num_articles`). docs/formats.md lists what is lost.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from . import __version__

QUAD_CODE = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}
CODEBOOK = "plover-2.0"


@lru_cache(maxsize=1)
def cameo_roots() -> dict[str, str]:
    """PLOVER type -> CAMEO root code, for the types the codebook's table maps one to one."""
    text = resources.files("cablegram").joinpath("data/cameo_roots.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def _entity(party: dict | None) -> list[dict]:
    """A party as PLOVER's list of entity objects: code, primary sector, the words, the canonical name."""
    if not party:
        return []
    sectors = party.get("sector") or []
    entity = {"code": party.get("country"), "sector": sectors[0] if sectors else None,
              "entity_text": party.get("text"), "identifier_text": party.get("name")}
    if len(sectors) > 1:
        entity["sector_secondary"] = sectors[1:]
    return [entity]


def _location(loc: dict | None) -> dict | None:
    """PLOVER's location object (geonames-style names) for the event's place."""
    if not loc:
        return None
    return {"extracted_place": loc.get("text"), "resolved_place": loc.get("name"),
            "lat": loc.get("lat"), "lon": loc.get("lon"), "country_code": loc.get("country")}


def to_plover(ev: dict) -> dict:
    """One event (docs/event.schema.json shape) in the PLOVER layout."""
    first = ev["mentions"][0]
    record = {
        "id": ev["id"],
        "date": ev.get("date"),
        "actor": _entity(ev.get("actor")),
        "recipient": _entity(ev.get("recipient")),
        "event": [ev["event_type"]],
        "cameo_root": cameo_roots().get(ev["event_type"]),
        "mode": [ev["mode"]] if ev.get("mode") else [],
        "context": list(ev.get("context") or []),
        "quad_code": QUAD_CODE.get(ev.get("quad")),
        "event_loc": _location(ev.get("location")),
        "event_text": [m["sentence"] for m in ev["mentions"]],
        "text_info": {"start": first["start"], "end": first["end"]},
        "cite_info": {"citation": first["doc_id"], "publication": first.get("source"),
                      "coder": f"cablegram {__version__}", "codebook": CODEBOOK},
        "coder": f"cablegram {__version__}",
        "status": ev["status"],
        "confidence": ev.get("confidence"),
    }
    if ev.get("num_sources") is not None:
        record["num_sources"], record["num_articles"] = ev["num_sources"], ev["num_articles"]
    return record
