"""Cross-validated figures of `cablegram code` on the ConfliBERT training sentences, each coded as a
one-sentence document: quad class of the most confident event, and source/target found as actor/recipient.

    python benchmarks/conflibert_sentences.py [--data ../shared/data] [--reports eval/dev] [--folds 5] [--seed 0]
                                              [--limit N] [--json PATH]

Folds: the ConfliBERT NER sentences (cameo_ner_train.txt), its quad-class sentences (cameo_class_train.tsv)
and the PLOVER sentences (plv_train.tsv) largely repeat each other, so all of them are grouped by near-duplicate
(benchmarks/near_duplicates.py) and the ConfliBERT groups split into folds. For each fold the extractor's pair
and type models are trained (scripts/train_extractor.py --exclude-groups) on everything except the groups of
that fold's sentences, PLOVER twins included, and the learned coder (cablegram.extract.coder.LearnedCoder)
codes the fold. The sentence classifier it types with is the shipped one, trained on all PLOVER sentences: its
figures are also given for the sentences with no PLOVER near-duplicate, where that cannot flatter it. The
lexicon coder (cablegram.coding.coder.Coder, no training) is measured on the same sentences as a baseline.
Quad classes: 0 no event (a plain statement), 1 verbal cooperation, 2 material cooperation, 3 verbal
conflict, 4 material conflict; a sentence with no coded event counts as 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedGroupKFold

from cablegram.coding.coder import Coder
from cablegram.extract import model as extract_model
from cablegram.extract.coder import LearnedCoder
from cablegram.extract.training import read_conflibert_ner, read_plover
from cablegram.models import QUAD, Document, Event

sys.path.insert(0, str(Path(__file__).resolve().parent))
import near_duplicates  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUAD_NUMBER = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}
WORD = re.compile(r"\w+")


@dataclass
class Sentence:
    """A ConfliBERT sentence to code: its training group id, its gold quad class or gold spans, and its fold."""

    group: str
    text: str
    quad: int | None = None
    sources: list[tuple[int, int]] = field(default_factory=list)
    targets: list[tuple[int, int]] = field(default_factory=list)
    fold: int = -1
    in_plover: bool = False


def read_sentences(data: Path) -> tuple[list[Sentence], list[Sentence], list[str], list[str]]:
    """The NER and quad-class sentences (group ids as scripts/train_extractor.py numbers them) and the PLOVER
    sentences' group ids and texts."""
    ner = [Sentence(x.group, x.text, sources=x.sources + x.both, targets=x.targets + x.both)
           for x in read_conflibert_ner(data / "conflibert" / "cameo_ner_train.txt")]
    with open(data / "conflibert" / "cameo_class_train.tsv", encoding="utf-8") as fh:
        quad = [Sentence(f"cst{n}", row[0], quad=int(row[-1].strip()))
                for n, row in enumerate(csv.reader(fh, delimiter="\t")) if len(row) >= 2]
    plover = list(read_plover(data / "plv_train.tsv"))
    return ner, quad, [p.group for p in plover], [p.text for p in plover]


def assign_folds(ner: list[Sentence], quad: list[Sentence], plv_groups: list[str], plv_texts: list[str],
                 folds: int, seed: int) -> tuple[list[set[str]], dict]:
    """Set each sentence's fold, grouping near-duplicates across all three sets; return, per fold, the training
    group ids to leave out (the fold's own sentences and every near-duplicate of them)."""
    items = ner + quad
    texts = [s.text for s in items] + plv_texts
    gid = near_duplicates.groups(texts)
    plv_ids = set(gid[len(items):])
    for s, g in zip(items, gid):
        s.in_plover = g in plv_ids
    strata = [f"q{s.quad}" if s.quad is not None else "ner" for s in items]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(items)), strata, gid[:len(items)])):
        for i in test:
            items[i].fold = k
    held = [{g for s, g in zip(items, gid) if s.fold == k} for k in range(folds)]
    names = [s.group for s in items] + plv_groups
    exclude = [{name for name, g in zip(names, gid) if g in fold_groups} for fold_groups in held]
    grouping = {"threshold": near_duplicates.THRESHOLD, **near_duplicates.summary(gid),
                "ner_in_plover": sum(s.in_plover for s in ner), "quad_in_plover": sum(s.in_plover for s in quad)}
    return exclude, grouping


def train_fold(exclude: set[str], out: Path, data: Path, reports: list[str]) -> None:
    """The extractor's pair and type models, trained as `make train` does but without the excluded groups."""
    out.mkdir(parents=True, exist_ok=True)
    listing = out / "exclude.txt"
    listing.write_text("".join(f"{g}\n" for g in sorted(exclude)), encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "scripts" / "train_extractor.py"), "--data", str(data), "--out", str(out),
           "--no-cv", "--exclude-groups", str(listing), "--reports", *reports]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def code(coder: Coder, sentences: list[Sentence]) -> list[list[Event]]:
    """The events of each sentence, coded as a one-sentence document."""
    docs = [Document(id=s.group, text=s.text) for s in sentences]
    return [events for _, events in coder.code_stream(docs)]


def top_event(events: list[Event]) -> Event | None:
    return max(events, key=lambda e: e.confidence) if events else None


def quad_of(events: list[Event]) -> int:
    top = top_event(events)
    return QUAD_NUMBER[QUAD[top.event_type]] if top is not None else 0


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def found_at(party, text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the coded party's words are the gold span's: its text occurs overlapping a span, or (where the
    coder's normalised text differs from the sentence) it shares a word with one."""
    if party is None or not spans:
        return False
    for m in re.finditer(re.escape(party.text), text):
        if any(m.start() < e and s < m.end() for s, e in spans):
            return True
    if party.text in text:
        return False
    return any(_words(party.text) & _words(text[s:e]) for s, e in spans)


def ner_scores(sentences: list[Sentence], coded: list[list[Event]]) -> dict:
    """Share of sentences with any event; with a gold source (target), share whose most confident event has it as
    actor (recipient), and whose any event does; with both, share where one event has both right."""
    src = [(s, ev) for s, ev in zip(sentences, coded) if s.sources]
    tgt = [(s, ev) for s, ev in zip(sentences, coded) if s.targets]
    both = [(s, ev) for s, ev in zip(sentences, coded) if s.sources and s.targets]

    def share(rows, test) -> float:
        return round(sum(bool(test(s, ev)) for s, ev in rows) / len(rows), 3) if rows else 0.0

    def actor(s, e):
        return e is not None and found_at(e.actor, s.text, s.sources)

    def recipient(s, e):
        return e is not None and found_at(e.recipient, s.text, s.targets)

    return {
        "sentences": len(sentences), "with_source": len(src), "with_target": len(tgt), "with_both": len(both),
        "any_event": share(list(zip(sentences, coded)), lambda s, ev: ev),
        "top_actor_is_source": share(src, lambda s, ev: actor(s, top_event(ev))),
        "top_recipient_is_target": share(tgt, lambda s, ev: recipient(s, top_event(ev))),
        "top_both": share(both, lambda s, ev: actor(s, top_event(ev)) and recipient(s, top_event(ev))),
        "any_actor_is_source": share(src, lambda s, ev: any(actor(s, e) for e in ev)),
        "any_recipient_is_target": share(tgt, lambda s, ev: any(recipient(s, e) for e in ev)),
        "any_both": share(both, lambda s, ev: any(actor(s, e) and recipient(s, e) for e in ev)),
    }


def quad_scores(sentences: list[Sentence], coded: list[list[Event]]) -> dict:
    """Accuracy and macro-F1 of the most confident event's quad class, its confusion table, and the share of
    sentences of each gold class given any event."""
    gold = [s.quad for s in sentences]
    pred = [quad_of(ev) for ev in coded]
    coded_events = [(g, p) for g, p in zip(gold, pred) if g and p]
    return {
        "events_missed": round(sum(1 for g, p in zip(gold, pred) if g and not p) / max(1, sum(map(bool, gold))), 3),
        "quad_right_when_coded": round(sum(g == p for g, p in coded_events) / max(1, len(coded_events)), 3),
        "sentences": len(sentences),
        "accuracy": round(float(accuracy_score(gold, pred)), 3) if gold else 0.0,
        "macro_f1": round(float(f1_score(gold, pred, average="macro", labels=range(5), zero_division=0)), 3),
        "confusion": confusion_matrix(gold, pred, labels=range(5)).tolist() if gold else [],
        "any_event_by_class": [round(float(np.mean([bool(ev) for s, ev in zip(sentences, coded) if s.quad == q])), 3)
                               if any(s.quad == q for s in sentences) else 0.0 for q in range(5)],
    }


def scores(ner: list[Sentence], quad: list[Sentence], coded: dict[str, list[Event]]) -> dict:
    """Quad and NER figures on all sentences and on those with no PLOVER near-duplicate."""
    out = {}
    for name, keep in (("all", lambda s: True), ("not_in_plover", lambda s: not s.in_plover)):
        n = [s for s in ner if keep(s)]
        q = [s for s in quad if keep(s)]
        out[name] = {"quad": quad_scores(q, [coded[s.group] for s in q]),
                     "ner": ner_scores(n, [coded[s.group] for s in n])}
    return out


def subsample(sentences: list[Sentence], limit: int | None, seed: int) -> list[Sentence]:
    """At most `limit` sentences of each fold, drawn at random (all of them without a limit)."""
    if limit is None:
        return sentences
    rng = np.random.default_rng(seed)
    keep = []
    for k in sorted({s.fold for s in sentences}):
        fold = [s for s in sentences if s.fold == k]
        keep += [fold[i] for i in sorted(rng.permutation(len(fold))[:limit])]
    return keep


def print_report(result: dict) -> None:
    g = result["grouping"]
    print(f"near-duplicate groups over NER + quad-class + PLOVER sentences (word-set Jaccard >= {g['threshold']:g}): "
          f"{g['texts_in_duplicate_groups']} of {g['texts']} sentences in {g['duplicate_groups']} groups "
          f"(largest {g['largest_group']}); NER sentences with a PLOVER twin {g['ner_in_plover']}, "
          f"quad-class {g['quad_in_plover']}")
    for coder in [c for c in ("learned", "lexicon", "shipped") if c in result]:
        for subset in ("all", "not_in_plover"):
            q, n = result[coder][subset]["quad"], result[coder][subset]["ner"]
            what = {"learned": "learned coder, cross-validated", "lexicon": "lexicon coder (no training)",
                    "shipped": "learned coder with the shipped models (in-sample)"}[coder]
            print(f"\n{what}, {subset.replace('_', ' ')} sentences")
            print(f"  quad class of the most confident event ({q['sentences']} sentences): accuracy "
                  f"{q['accuracy']:.3f}, macro-F1 {q['macro_f1']:.3f}; any event coded, by gold class 0-4: "
                  + " ".join(f"{x:.2f}" for x in q["any_event_by_class"]))
            print(f"  event sentences (class 1-4) with no event coded {q['events_missed']:.3f}; quad right where "
                  f"one was coded {q['quad_right_when_coded']:.3f}")
            print("    gold \\ coded   0    1    2    3    4")
            for c, row in enumerate(q["confusion"]):
                print(f"    {c:<12}" + "".join(f"{x:>5}" for x in row))
            print(f"  NER sentences ({n['sentences']}): any event {n['any_event']:.3f}; most confident event: "
                  f"actor = gold source {n['top_actor_is_source']:.3f} (of {n['with_source']}), recipient = gold "
                  f"target {n['top_recipient_is_target']:.3f} (of {n['with_target']}), both {n['top_both']:.3f} "
                  f"(of {n['with_both']}); any event: {n['any_actor_is_source']:.3f}, "
                  f"{n['any_recipient_is_target']:.3f}, {n['any_both']:.3f}")
    print(f"\n{result['seconds']:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--reports", nargs="*", default=[str(ROOT / "eval" / "dev")],
                    help="annotated report folders the extractor also trains on (as `make train`)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, help="code at most this many sentences of each set per fold")
    ap.add_argument("--shipped", action="store_true",
                    help="also code with the shipped extractor models, which trained on these very sentences "
                         "(in-sample: shows what the folds take away)")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()
    start = time.time()
    data = Path(args.data)
    ner, quad, plv_groups, plv_texts = read_sentences(data)
    exclude, grouping = assign_folds(ner, quad, plv_groups, plv_texts, args.folds, args.seed)
    ner, quad = subsample(ner, args.limit, args.seed), subsample(quad, args.limit, args.seed)
    learned: dict[str, list[Event]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            out = Path(tmp) / f"fold{k}"
            train_fold(exclude[k], out, data, args.reports)
            coder = LearnedCoder()
            coder.pair_model = extract_model.read_pair_model(out)
            coder.type_model = extract_model.read_type_model(out)
            coder.pair_encoder = None  # trained on a sample of these very sentences, and too slow to retrain per fold
            held = [s for s in ner + quad if s.fold == k]
            learned.update((s.group, ev) for s, ev in zip(held, code(coder, held)))
            print(f"fold {k + 1}/{args.folds}: left out {len(exclude[k])} training groups, coded {len(held)} "
                  f"sentences ({time.time() - start:.0f} s)", file=sys.stderr, flush=True)
    result = {"folds": args.folds, "seed": args.seed, "limit": args.limit, "grouping": grouping,
              "learned": scores(ner, quad, learned)}
    coders = {"lexicon": Coder(), **({"shipped": LearnedCoder()} if args.shipped else {})}
    for name, coder in coders.items():
        result[name] = scores(ner, quad, dict(zip([s.group for s in ner + quad], code(coder, ner + quad))))
    result["seconds"] = time.time() - start
    print_report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
