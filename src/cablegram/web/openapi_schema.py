"""The documented event format (docs/event.schema.json, copied beside this module) as OpenAPI components, so
the API's responses say what an event is instead of an empty schema."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("event.schema.json")


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(name: str, description: str = "Successful Response") -> dict:
    """A `responses=` entry: a 200 answer whose JSON body is the named component."""
    return {200: {"description": description, "content": {"application/json": {"schema": ref(name)}}}}


@lru_cache(maxsize=1)
def components() -> dict:
    """Event and Party from the event schema (its $defs moved to components), MergedEvent (an event with what
    merging adds) and EventPage (a page of events as GET /api/events answers)."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    text = json.dumps({"Event": schema, **{name.capitalize(): d for name, d in defs.items()}})
    found = re.sub(r'"#/\$defs/(\w+)"', lambda m: json.dumps(f"#/components/schemas/{m[1].capitalize()}"), text)
    schemas = json.loads(found)
    schemas["MergedEvent"] = {"allOf": [ref("Event"), {"type": "object", "properties": {
        "num_sources": {"type": "integer", "description": "Outlets that report the event"},
        "num_articles": {"type": "integer", "description": "Reports that tell it"},
        "story_id": {"type": ["string", "null"]},
        "merge": {"type": "array", "items": {"type": "object"}, "description": "The steps that joined its reports"},
    }}], "description": "An event merged across the reports that tell it (the extra fields are absent from "
                        "events as coded in one report)."}
    schemas["EventPage"] = {"type": "object", "required": ["total", "limit", "offset", "events"], "properties": {
        "total": {"type": "integer", "description": "Events matching the filters, for paging"},
        "limit": {"type": "integer"}, "offset": {"type": "integer"},
        "events": {"type": "array", "items": ref("MergedEvent")}}}
    return schemas
