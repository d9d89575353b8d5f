"""The pair page charts every event and invents no date: day-dated events as weekly bars and month- or year-dated
ones as spans of their period on one time axis, undated ones in a lane of their own. On the demo corpus (what
`make demo` codes: corpus/sample and the two real reports in ../shared/seeds) and on two reports written for
this (pair_chart_reports.jsonl: one with events told as of 2023 and March 2024, one with no date anywhere and a
hostile title), through the app and in a real Chromium."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from cablegram.coding.coder import Coder
from cablegram.pipeline import RunReport, code_paths
from cablegram.store import EventFilter, open_store
from cablegram.web import pair_chart
from cablegram.web.app import create_app
from cablegram.web.timeline import coarse_lanes
from test_web_e2e import browser  # noqa: F401  (browser is a fixture used below)
from web_data import ESCAPED, HOSTILE, fill, running_server, watched_page

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample"
SEEDS = ROOT.parent / "shared" / "seeds"
WRITTEN = Path(__file__).parent / "pair_chart_reports.jsonl"
MARK = re.compile(r'<rect class="mark (day|span|undated)[^"]*" data-events="(\d+)"')
SPAN = re.compile(r'<rect class="mark span (month|year) [^"]*" data-events="1" x="([\d.]+)" y="[\d.]+" '
                  r'width="([\d.]+)"')


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def build(paths: list[Path], coder: Coder, folder: Path) -> str:
    """The reports coded and stored as `ingest` does, in a DuckDB file in `folder`."""
    report = RunReport()
    coded = list(code_paths([str(p) for p in paths], coder, report))
    assert not report.skipped and coded
    db = str(folder / "events.duckdb")
    fill(db, coded)
    return db


@pytest.fixture(scope="module")
def demo_db(coder, tmp_path_factory) -> str:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"the two sample reports are not here ({SEEDS} is absent): put ../shared beside the project")
    return build([SAMPLE, *seeds], coder, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def written_db(coder, tmp_path_factory) -> str:
    return build([WRITTEN], coder, tmp_path_factory.mktemp("written"))


def drawn(html: str) -> Counter:
    """Events drawn on the page's chart, per kind of mark (a weekly bar counts its events)."""
    counts: Counter = Counter()
    for kind, n in MARK.findall(html):
        counts[kind] += int(n)
    return counts


def test_the_demo_us_russia_page_charts_at_least_80_percent_of_its_events(demo_db):
    with open_store(demo_db, read_only=True) as store:
        events = store.events(EventFilter(pair=("USA", "RUS"), limit=1000))
    with TestClient(create_app(demo_db, token="")) as client:
        html = client.get("/dyads/USA/RUS").text
        tl = client.get("/api/dyads/USA/RUS/timeline").json()
    by_day = [e for e in events if e["date"] and len(e["date"]) == 10]
    rest = {e["id"] for e in events} - {e["id"] for e in by_day}
    marks = drawn(html)
    assert marks["day"] == len(by_day) and marks["span"] + marks["undated"] == len(rest)
    assert set(re.findall(r'<a href="/events/([^"]+)"><rect class="mark (?:span|undated)', html)) == rest
    assert sum(marks.values()) >= 0.8 * len(events)
    on_axis = marks["day"] + marks["span"]
    caption = " ".join(re.search(r'id="pair-chart-caption"[^>]*>(.*?)</p>', html, re.S)[1].split())
    assert f"All {len(events)} events as coded" in caption
    assert f"{on_axis} ({round(100 * on_axis / len(events))} %) on the time axis" in caption
    assert f"{marks['undated']} ({round(100 * marks['undated'] / len(events))} %) in the undated lane" in caption
    docs = [u["doc_id"] for u in tl["undated"]]  # report by report: each report's undated events together
    assert len(set(docs)) == len([d for i, d in enumerate(docs) if i == 0 or d != docs[i - 1]])
    assert re.findall(r'<a href="/events/([^"]+)"><rect class="mark undated', html) == [u["id"] for u in tl["undated"]]


def test_month_and_year_dates_span_their_period_and_undated_events_get_no_date(written_db):
    with TestClient(create_app(written_db, token="")) as client:
        tl = client.get("/api/dyads/RUS/USA/timeline").json()
        html = client.get("/dyads/RUS/USA").text
    assert tl["lanes"] == {"day": 1, "period": 2, "undated": 2} and tl["not_drawn"] == 0
    spans = {p["date"]: p for p in tl["periods"]}
    assert (spans["2024-03"]["precision"], spans["2024-03"]["start"], spans["2024-03"]["end"]) == \
        ("month", "2024-03-01", "2024-04-01")
    assert (spans["2023"]["precision"], spans["2023"]["start"], spans["2023"]["end"]) == \
        ("year", "2023-01-01", "2024-01-01")
    assert [(u["date"], u["doc_id"]) for u in tl["undated"]] == [(None, "pair-chart-undated")] * 2
    ticks = {t["label"]: t["x"] for t in pair_chart.layout(tl)["ticks"]}
    drawn_spans = {kind: (float(x), float(w)) for kind, x, w in SPAN.findall(html)}
    year_x, year_w = drawn_spans["year"]
    assert (year_x, round(year_x + year_w, 1)) == (ticks["2023"], ticks["2024"])
    month_x, month_w = drawn_spans["month"]
    year_px = ticks["2025"] - ticks["2024"]
    assert month_x == pytest.approx(ticks["2024"] + year_px * 60 / 366, abs=0.2)  # 1 March 2024, a leap year
    assert month_w == pytest.approx(year_px * 31 / 366, abs=0.2)
    assert drawn(html) == {"day": 1, "span": 2, "undated": 2}
    assert "1 dated to the day (weekly bars), 2 dated only to a month or year (spans)" in " ".join(html.split())
    assert HOSTILE[0] not in html and ESCAPED[0] in html  # the undated report's title, in its marks' tooltips


def test_periods_that_overlap_get_rows_of_their_own_and_bad_dates_stay_undated():
    rows = [{"id": f"e{i}", "event_type": "ACCUSE", "quad": "verbal conflict", "date": d, "doc_id": "r",
             "title": None} for i, d in enumerate(["2024", "2024-03", "2024-03", "2024-13", None, "2025-06"])]
    periods, undated = coarse_lanes(rows)
    assert [u["date"] for u in undated] == ["2024-13", None]
    chart = pair_chart.layout({"quads": [], "weeks": [], "periods": periods, "undated": undated})
    rows_of = {s["id"]: s["y"] for s in chart["spans"]}
    assert len({rows_of["e0"], rows_of["e1"], rows_of["e2"]}) == 3 and rows_of["e5"] == rows_of["e0"]
    assert [lane["kind"] for lane in chart["lanes"]] == ["period", "undated"] and len(chart["marks"]) == 2


@pytest.mark.parametrize("store", ["written", "demo"])
def test_every_lane_renders_in_a_real_browser(browser, store, request, tmp_path):  # noqa: F811
    db = request.getfixturevalue(f"{store}_db")
    with running_server(db, "/api/events?limit=1") as base:
        tl = httpx.get(base + "/api/dyads/USA/RUS/timeline").json()
        with watched_page(browser, base) as page:
            page.goto(base + "/dyads/USA/RUS")
            expected = [kind for kind in ("day", "period", "undated") if tl["lanes"][kind]]
            assert page.locator("svg.pair-chart g.lane").evaluate_all("gs => gs.map(g => g.dataset.lane)") == expected
            boxes = {kind: page.locator(f'g[data-lane="{kind}"]').bounding_box() for kind in expected}
            assert all(b and b["width"] > 100 and b["height"] > 10 for b in boxes.values())
            axis = page.locator("svg.pair-chart g.axis").bounding_box()
            assert boxes["undated"]["y"] > axis["y"]  # the undated lane sits apart, below the time axis
            undated = page.locator("rect.mark.undated")
            assert undated.count() == tl["lanes"]["undated"]
            assert all(undated.nth(i).is_visible() for i in range(undated.count()))
            bars = page.locator("rect.mark.day").evaluate_all("rs => rs.map(r => +r.dataset.events)")
            assert sum(bars) == tl["lanes"]["day"]
            if tl["lanes"]["period"]:
                month, year = (page.locator(f"rect.mark.span.{p}").bounding_box() for p in ("month", "year"))
                assert year["width"] > 10 * month["width"] > 0
            assert "in the undated lane" in page.locator("#pair-chart-caption").inner_text()
            page.screenshot(path=str(tmp_path / "pair.png"), full_page=True)
            undated.first.click()
            page.wait_for_url(f"{base}/events/{tl['undated'][0]['id']}")
            assert not page.errors and not page.foreign
