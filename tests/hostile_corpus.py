"""A corpus of hostile inputs beside good reports, generated in a temporary directory (nothing large is committed).

`build(directory)` writes it and returns what a correct reader must do: the ids of the good reports
and, for each bad record, where it is and words its skip reason must contain.
"""

from __future__ import annotations

import json
from pathlib import Path

from corpus_gen import report

FRENCH = ("Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les agriculteurs touchés par "
          "la sécheresse, a indiqué le ministre dans un communiqué publié après le conseil des ministres. Les "
          "syndicats jugent ces aides insuffisantes et prévoient de manifester devant la préfecture la semaine "
          "prochaine, selon plusieurs responsables régionaux.\n")


def build(directory: Path) -> tuple[set[str], dict[str, str]]:
    """Write the corpus; (good document ids, {origin relative to `directory`: expected reason words})."""
    d = directory
    d.mkdir(parents=True, exist_ok=True)
    good = {"good-a", "good-b", "utf16", "control-chars", "rec-1", "rec-2"}
    (d / "good-a.txt").write_text(report(1), encoding="utf-8")
    (d / "good-b.txt").write_text(report(2), encoding="utf-8")
    (d / "utf16.txt").write_bytes(report(3).encode("utf-16"))  # with a byte-order mark
    (d / "control-chars.txt").write_text(
        report(4).replace(" on ", "\x07 on ", 1).replace("Talks", "\x1b[1mTalks\x1b[0m\x0b\x0c"), encoding="utf-8")
    bad = {}
    (d / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty file"
    (d / "binary.txt").write_bytes(bytes(range(256)) * 64)
    bad["binary.txt"] = "binary file"
    (d / "bad-utf8.txt").write_bytes(report(5).encode() + b"caf\xc3\x28 and more\n")
    bad["bad-utf8.txt"] = "cannot decode as UTF-8"
    sentence = report(6).replace("\n", " ")
    with (d / "huge.txt").open("w", encoding="utf-8") as fh:
        for _ in range(20 * 2**20 // len(sentence) + 1):
            fh.write(sentence + "\n")
    bad["huge.txt"] = "file too large"
    (d / "one-line.txt").write_text(sentence * (2**21 // len(sentence) + 1), encoding="utf-8")
    bad["one-line.txt"] = "text too long"
    (d / "scripts.html").write_text("<html><head><script>var a = 1;</script></head><body><script>"
                                    "document.write('hello');</script></body></html>", encoding="utf-8")
    bad["scripts.html"] = "no article text"
    (d / "french.txt").write_text(FRENCH, encoding="utf-8")
    bad["french.txt"] = "not English"
    lines = [
        json.dumps({"id": "rec-1", "text": report(7), "source": "Wire"}),
        '{"id": "rec-broken", "text": "cut off',
        json.dumps({"id": "rec-notext", "title": "No body here"}),
        json.dumps({"id": "rec-wrongtext", "text": 42}),
        json.dumps({"id": "rec-wrongtitle", "text": report(8), "title": ["a", "list"]}),
        json.dumps({"id": "rec-1", "text": report(9)}),
        json.dumps({"id": "rec-nul", "text": report(10).replace(" ", "\u0000", 1)}),
        '{"id": "rec-surrogate", "text": "Lone \\ud800 half. ' + report(11).strip() + '"}',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "rec-2", "text": report(12)}),
        json.dumps({"id": "rec-long", "text": "x" * (9 * 2**20)}),
    ]
    (d / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad.update({"records.jsonl:2": "JSON error", "records.jsonl:3": "missing text",
                "records.jsonl:4": "wrong type for field text", "records.jsonl:5": "wrong type for field title",
                "records.jsonl:6": "duplicate id rec-1", "records.jsonl:7": "NUL character",
                "records.jsonl:8": "unpaired surrogate", "records.jsonl:9": "record is array",
                "records.jsonl:11": "line longer than 8,388,608 bytes"})
    return good, bad
