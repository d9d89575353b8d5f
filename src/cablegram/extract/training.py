"""Training data for the pair model, read from the shared data at training time (nothing of it ships):
PLOVER-labelled sentences (source and target marked), ConfliBERT's source/target-tagged news sentences, its
plain statements (no event between anyone), and the project's own annotated dev reports."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from spacy.tokens import Token

from ..actors import ActorMemory, load_resolver
from ..evaluate import _code
from ..models import SYMMETRIC, Party
from ..nlp import load_spacy
from .acts import acts, prior_sense
from .candidates import NamedSoFar, find_mentions, pairs
from .features import pair_features, predicate
from .pair_encoder import marked_text

MARK = re.compile(r"</?[st]>")


@dataclass
class Labelled:
    """A training sentence with the character spans of its gold sources and targets (and parties that are both)."""

    group: str
    text: str
    sources: list[tuple[int, int]]
    targets: list[tuple[int, int]]
    both: list[tuple[int, int]]
    symmetric: bool = False
    country_marks: list | None = None  # reports: (start, end, actor, recipient, symmetric, type) per gold event
    date: str | None = None  # the report's date, for the dated people dictionary
    etype: str | None = None  # the PLOVER type of the marked event (PLOVER sentences)


@dataclass
class Example:
    """One candidate pair of a training sentence, its features and whether it is an event."""

    group: str
    features: list[str]
    label: int
    etype: str | None = None  # the gold type when the pair is an event and the source says which
    marked: str = ""  # the sentence with the pair and its act marked, for the pair encoder


def read_plover(path: str | Path) -> Iterator[Labelled]:
    """PLOVER sentences with <s>source</s> and <t>target</t> marked."""
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            marked = row["marked_sentence"]
            text, spans, pos = "", {}, 0
            for m in MARK.finditer(marked):
                text += marked[pos:m.start()]
                tag = m.group()
                if tag.startswith("</"):
                    spans[tag[2]] = (spans[tag[2]], len(text))
                else:
                    spans[tag[1]] = len(text)
                pos = m.end()
            text += marked[pos:]
            if not isinstance(spans.get("s"), tuple):
                continue
            tgt = [spans["t"]] if isinstance(spans.get("t"), tuple) else []
            yield Labelled(f"plv{row['sentence_id']}", text, [spans["s"]], tgt, [],
                           row["gold_root"] in SYMMETRIC, etype=row["gold_root"])


def read_conflibert_ner(path: str | Path) -> Iterator[Labelled]:
    """ConfliBERT's tagged sentences: B-/I- S (source), T (target), R (both)."""
    words: list[tuple[str, str]] = []
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in [*fh, ""]:
            line = line.strip()
            if line:
                parts = line.rsplit(" ", 1)
                if len(parts) == 2:
                    words.append((parts[0], parts[1]))
                continue
            if words:
                n += 1
                yield _from_tags(f"cner{n}", words)
            words = []


def _from_tags(group: str, words: list[tuple[str, str]]) -> Labelled:
    text, spans, cur = "", {"S": [], "T": [], "R": []}, None
    for w, tag in words:
        start = len(text) + (1 if text else 0)
        text = f"{text} {w}" if text else w
        kind = tag[2:] if len(tag) > 2 else None
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != kind)):
            cur = [kind, start, len(text)]
            spans.setdefault(kind, []).append(cur)
        elif tag.startswith("I-") and cur is not None:
            cur[2] = len(text)
        else:
            cur = None
    as_t = {k: [(s, e) for _, s, e in v] for k, v in spans.items()}
    return Labelled(group, text, as_t.get("S", []), as_t.get("T", []), as_t.get("R", []))


def read_statements(path: str | Path) -> Iterator[Labelled]:
    """ConfliBERT quad-class sentences labelled 0 (a plain statement): no pair in them is an event."""
    with open(path, encoding="utf-8") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t")):
            if len(row) >= 2 and row[-1].strip() == "0":
                yield Labelled(f"cst{n}", row[0], [], [], [])


def read_reports(directory: str | Path) -> Iterator[Labelled]:
    """The project's annotated reports (a folder of .txt files and gold.jsonl): each gold event names its
    sentence; candidates there whose countries are the gold actor's and recipient's are the event. Every other
    sentence of the report holds no event."""
    from ..documents import iter_documents

    directory = Path(directory)
    gold: dict[str, list[dict]] = {}
    with open(directory / "gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                g = json.loads(line)
                gold.setdefault(g["doc_id"], []).append(g)
    for path in sorted(directory.glob("*.txt")):
        for doc in iter_documents([path]):
            if not hasattr(doc, "text") or doc.id not in gold:
                continue
            body = doc.text[doc.body_start:]
            marks = []
            for g in gold[doc.id]:
                s = g.get("sentence")
                if s and s in body and g.get("actor"):
                    start = body.index(s)
                    marks.append((start, start + len(s), _code(g["actor"]), _code(g.get("recipient")),
                                  g["event_type"] in SYMMETRIC, g["event_type"]))
            yield Labelled(f"rep:{doc.id}", body, [], [], [], country_marks=marks, date=doc.published)


def read_items(data: str | Path, reports: list[str], exclude: set[str] = frozenset()) -> list[Labelled]:
    """Everything the extractor's models train on: the shared data's PLOVER sentences, ConfliBERT's tagged
    sentences and plain statements, and the annotated report folders; less the groups in `exclude`."""
    data = Path(data)
    items = [*read_plover(data / "plv_train.tsv"), *read_conflibert_ner(data / "conflibert" / "cameo_ner_train.txt"),
             *read_statements(data / "conflibert" / "cameo_class_train.tsv")]
    for folder in reports:
        items += list(read_reports(folder))
    return [i for i in items if i.group not in exclude]


def listed_groups(path: str | Path | None) -> set[str]:
    """The group ids a file lists, one a line (none without a file): what a training run leaves out."""
    return set(Path(path).read_text(encoding="utf-8").split()) if path else set()


def _inside(tok_start: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= tok_start < e for s, e in spans)


def _report_types(a, b, item: Labelled) -> list[str | None]:
    """The types of the gold events of a report sentence that this ordered pair (or a alone, as a doer) is
    the pair of: one entry per event, None where the pair is a doer whose target lies elsewhere."""
    start = a.head.sent.start_char
    end = a.head.sent.end_char
    ca, cb = a.party.country, b.party.country if b else None
    if b is None and a.partner is not None:  # "the two sides ...": both of them
        cb = a.partner.party.country
    found: list[str | None] = []
    for s, e, actor, recipient, symmetric, etype in item.country_marks:
        if not (s < end and start < e):
            continue
        if b is None and a.partner is not None:
            if {ca, cb} == {actor, recipient}:
                found.append(etype)
        elif b is None and ca == actor:
            found.append(etype if recipient is None else None)
        elif b is not None and ((ca, cb) == (actor, recipient) or symmetric and (cb, ca) == (actor, recipient)):
            found.append(etype)
    return found


def _aligned(candidates: list[Token], types: list[str | None]) -> Iterator[tuple[Token, int, str | None]]:
    """Each act of a pair with the gold event it tells (label, type), or none: an event goes to the act the
    lexicon reads as its type, else to the first act still free (the parse path's own act first)."""
    free = list(candidates)
    given: dict[int, str | None] = {}
    left: list[str | None] = []
    for etype in types:
        act = next((t for t in free if etype is not None and (e := prior_sense(t)) is not None
                    and e.event_type == etype), None)
        if act is None:
            left.append(etype)
        else:
            free.remove(act)
            given[act.i] = etype
    for etype in left:
        if free:
            given[free.pop(0).i] = etype
    for act in candidates:
        yield (act, 1, given[act.i]) if act.i in given else (act, 0, None)


def _label(a, b, item: Labelled) -> tuple[int, str | None]:
    """(1, type) when the source says this ordered pair (or a alone, as a doer) is the marked event of the
    sentence, else (0, None); the type is None where the source gives none."""
    ia, ib = a.head.idx, b.head.idx if b else None
    a_src = _inside(ia, item.sources) or _inside(ia, item.both)
    if b is None:
        return int(a_src), None
    b_tgt = _inside(ib, item.targets) or _inside(ib, item.both)
    if a_src and b_tgt:
        return 1, item.etype
    b_src = _inside(ib, item.sources) or _inside(ib, item.both)
    a_tgt = _inside(ia, item.targets) or _inside(ia, item.both)
    return (1, item.etype) if item.symmetric and b_src and a_tgt else (0, None)


def _touches_marks(a, b, marked: list[tuple[int, int]]) -> bool:
    """Whether a pair involves a marked party, or the sentence marks none (a plain statement: no event)."""
    return not marked or _inside(a.head.idx, marked) or (b is not None and _inside(b.head.idx, marked))


def examples(items: list[Labelled], batch_size: int = 64) -> Iterator[Example]:
    """Every candidate pair of every training sentence, with its features and label. A gold party the
    resolver cannot place still stands as a candidate (the model must learn where doers and targets sit)."""
    nlp, resolver = load_spacy(), load_resolver()
    for doc, item in nlp.pipe(((i.text, i) for i in items), as_tuples=True, batch_size=batch_size):
        memory = ActorMemory()
        resolver.scan_document(doc, memory, date=item.date)
        marked = item.sources + item.targets + item.both

        def resolve(tok, span, memory=memory, marked=marked):
            party = resolver.resolve(span, memory)
            if (party is None or not party.country) and _inside(tok.idx, marked):
                return Party(span.text, f"_{tok.i}")
            return party

        named = NamedSoFar()
        for sent in doc.sents:
            mentions = find_mentions(sent, resolve, named.two())
            named.add(mentions)
            for a, b in pairs(mentions):
                if item.country_marks is None:
                    if not _touches_marks(a, b, marked):
                        continue  # one event marked per sentence: pairs of other parties may be events too
                    label, etype = _label(a, b, item)
                    yield Example(item.group, pair_features(a, b), label, etype,
                                  marked_text(sent, a, b, predicate(a, b)))
                    continue
                for act, label, etype in _aligned(acts(predicate(a, b)), _report_types(a, b, item)):
                    yield Example(item.group, pair_features(a, b, act), label, etype, marked_text(sent, a, b, act))

