"""JSON-lines front end of the event-type classifier: one result or error object per input line, in order."""

from __future__ import annotations

import json
from itertools import islice
from typing import Iterable, Iterator

from cablegram.coding.classifier import load_classifier

BATCH = 256


def _parse(line: str) -> tuple[str, str | None, str | None] | str:
    """An (text, source, target) item, or the reason the line cannot be classified."""
    if not line.strip():
        return "blank line"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg}"
    if not isinstance(record, dict):
        return "expected a JSON object"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return "missing or empty 'text'"
    parties = []
    for key in ("source", "target"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"'{key}' must be a string"
        parties.append(value or None)
    return text, parties[0], parties[1]


def classify_lines(lines: Iterable[str]) -> Iterator[dict]:
    """Classify JSON lines {"text", "source", "target"}; yields results or {"error", "line"} in input order."""
    numbered = enumerate(lines, start=1)
    while batch := list(islice(numbered, BATCH)):
        parsed = [(n, _parse(line)) for n, line in batch]
        good = [item for _, item in parsed if not isinstance(item, str)]
        predictions = iter(load_classifier().predict(good) if good else [])
        for n, item in parsed:
            if isinstance(item, str):
                yield {"error": item, "line": n}
            else:
                p = next(predictions)
                yield {"event_type": p.event_type, "confidence": round(p.confidence, 4),
                       "scores": {k: round(v, 4) for k, v in p.scores.items()}}
