"""End to end on the two real sample reports in ../shared/seeds: the events they state, with their parties,
dates and places, and precision/recall against the project's hand annotation (eval/seeds_gold.jsonl)."""

from pathlib import Path

import pytest

from cablegram.coding.coder import Coder
from cablegram.evaluate import load_gold, score
from cablegram.pipeline import RunReport, code_paths

ROOT = Path(__file__).parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RT, TASS = "000_12bea52b7192c135", "001_6ff8132b9805c69b"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"sample reports not found at {SEEDS} (../shared absent)")


@pytest.fixture(scope="module")
def events():
    report = RunReport()
    out = [e.to_dict() for _d, evs in code_paths([str(SEEDS / f"{RT}.txt"), str(SEEDS / f"{TASS}.txt")],
                                                 Coder(), report) for e in evs]
    assert not report.skipped
    return out


def find(events, doc, etype, actor=None, recipient=None, either=False, **fields):
    """Events of `doc` with this type and these country codes (either order when `either`) and field values."""
    def fits(e):
        a, r = e["actor"]["country"], (e["recipient"] or {}).get("country")
        pair_ok = (actor, recipient) in ((a, r), (r, a)) if either else (a, r) == (actor, recipient)
        return e["event_type"] == etype and pair_ok and all(e.get(k) == v for k, v in fields.items()) and \
            any(m["doc_id"] == doc for m in e["mentions"])
    return [e for e in events if fits(e)]


def test_two_istanbul_rounds_with_dates_and_place(events):
    for day in ("2025-02-27", "2025-04-10"):
        [ev] = find(events, TASS, "CONSULT", "RUS", "USA", either=True, date=day)
        assert ev["location"]["name"] == "Istanbul" and ev["location"]["country"] == "TUR"
        assert ev["location"]["lat"] == pytest.approx(41.0, abs=0.2)


def test_planned_moscow_round(events):
    [ev] = find(events, TASS, "AGREE", "RUS", "USA", either=True, status="planned")
    assert ev["location"]["name"] == "Moscow" and ev["date"] is None
    assert len(ev["mentions"]) >= 2  # said in the lead and again in the quote


def test_banking_and_travel_agreements(events):
    assert find(events, RT, "AGREE", "USA", "RUS", either=True)
    assert find(events, TASS, "SUPPORT", "RUS", "USA", either=True, date="2025-04-10")
    agreed = find(events, TASS, "AGREE", "RUS", "USA", either=True, date="2025-04-10")
    assert any("travel" in m["sentence"] for e in agreed for m in e["mentions"])


def test_property_refusal_demand_and_seizure(events):
    [refusal] = find(events, RT, "REJECT", "USA", "RUS", mode=None)
    assert "refused" in refusal["mentions"][0]["sentence"]
    assert find(events, TASS, "REQUEST", "RUS", "USA")
    assert find(events, RT, "COERCE", "USA", "RUS", mode="seize")
    assert find(events, TASS, "COERCE", "USA", "RUS", mode="seize")
    [barred] = find(events, RT, "COERCE", "USA", "RUS", mode="restrict")
    assert barred["mentions"][0]["hedged"] is True


def test_accusations_and_expulsions(events):
    assert find(events, RT, "ACCUSE", "RUS", "USA")
    assert find(events, TASS, "ACCUSE", "RUS", "USA", date="2025-06-11")
    assert find(events, RT, "SANCTION", "USA", "RUS", mode="expel")
    assert find(events, RT, "SANCTION", "RUS", "USA", mode="expel")


def test_provenance(events):
    texts = {RT: (SEEDS / f"{RT}.txt").read_text(encoding="utf-8"), TASS: (SEEDS / f"{TASS}.txt").read_text(encoding="utf-8")}
    for ev in events:
        for m in ev["mentions"]:
            assert texts[m["doc_id"]][m["start"]:m["end"]] == m["sentence"]
            assert m["source"] == ("RT" if m["doc_id"] == RT else "TASS")
    assert all(m["original_source"] == "Kommersant" for e in events for m in e["mentions"] if m["doc_id"] == RT)
    assert all(m["published"] == "2025-06-11" for e in events for m in e["mentions"] if m["doc_id"] == TASS)


def test_precision_and_recall_against_annotation(events):
    total = score(events, load_gold(ROOT / "eval" / "seeds_gold.jsonl"))["*"]
    assert total.recall >= 0.8 and total.precision >= 0.8, (total.recall, total.precision)
