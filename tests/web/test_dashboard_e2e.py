"""The analyst's dashboard in Debian's Chromium: the overview map and weekly chart, through to an event, the pair
page's filters and its CSV download, the story contents, and hostile article text inert in map popups.
Screenshots are kept in out/e2e/ (ignored by git) for a person to look at."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest

from test_web_e2e import browser, page, server  # noqa: F401 (the same Chromium, server and page fixtures)
from web_data import HOSTILE

SHOTS = Path(__file__).parents[2] / "out" / "e2e"


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def map_markers(pg) -> int:
    """How many event markers the page's Leaflet map holds, once its borders have loaded."""
    pg.wait_for_function("() => document.querySelectorAll('#event-map path.leaflet-interactive').length > 0")
    pg.wait_for_function("() => document.querySelectorAll('#event-map .leaflet-overlay-pane path').length > 100")
    return pg.locator("#event-map path.leaflet-interactive").count()


def test_overview_map_and_chart_lead_to_events(page, server, shots):  # noqa: F811
    page.goto(server + "/")
    assert map_markers(page) >= 1
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('weekly-chart'))")
    page.screenshot(path=str(shots / "overview.png"), full_page=True)

    link = page.evaluate("() => document.getElementById('weekly-chart').weekLink(0, 'verbal cooperation')")
    assert link.startswith("/search?since=") and "until=" in link
    box = page.locator("#weekly-chart").bounding_box()
    bars = page.evaluate("""() => { const c = Chart.getChart(document.getElementById('weekly-chart'));
        const out = []; c.data.datasets.forEach((d, i) => c.getDatasetMeta(i).data.forEach((bar, j) => {
            if (d.data[j] > 0) out.push({x: bar.x, y: (bar.y + bar.base) / 2}); })); return out; }""")
    assert bars, "the chart should draw at least one bar"
    page.mouse.click(box["x"] + bars[0]["x"], box["y"] + bars[0]["y"])
    page.wait_for_url(server + "/search?since=*")
    assert page.locator("table.events tbody tr a").count() >= 1

    page.goto(server + "/")
    map_markers(page)
    page.locator("#event-map path.leaflet-interactive").first.click(force=True)
    popup_link = page.locator(".leaflet-popup-content a").first
    popup_link.wait_for()
    popup_link.click()
    page.wait_for_url(server + "/events/*")
    assert page.locator(".doc-text mark").count() >= 1
    page.screenshot(path=str(shots / "event.png"), full_page=True)
    assert not page.errors and not page.foreign


def test_pair_page_filters_and_downloads_what_it_lists(page, server, shots):  # noqa: F811
    page.goto(server + "/dyads/RUS/USA")
    assert "Russia" in page.locator("h1").inner_text() and "United States" in page.locator("h1").inner_text()
    everything = page.locator("table.events tbody tr").count()
    page.select_option("form.filters select[name=type]", "CONSULT")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/dyads/RUS/USA?*type=CONSULT*")
    types = page.locator("table.events tbody td:nth-child(2) a").all_inner_texts()
    assert types and set(types) == {"CONSULT"} and len(types) < everything
    map_markers(page)
    page.screenshot(path=str(shots / "pair-filtered.png"), full_page=True)

    with page.expect_download() as info:
        page.locator(".downloads a", has_text="CSV").click()
    download = info.value
    assert download.suggested_filename == "events-RUS-USA.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["event_type"] for r in rows] == types
    assert all({r["actor_country"], r["recipient_country"]} == {"RUS", "USA"} for r in rows)
    assert not page.errors and not page.foreign


def test_story_contents_open_collapsed_sections(page, server, shots):  # noqa: F811
    page.goto(server + "/stories")
    page.locator("table.stories a").first.click()
    page.wait_for_url(server + "/stories/*")
    issues = page.locator("details#issues")
    assert issues.get_attribute("open") is None
    page.locator("nav.toc a[href='#issues']").click()
    assert issues.get_attribute("open") is not None
    page.screenshot(path=str(shots / "story.png"), full_page=True)
    assert not page.errors and not page.foreign


def test_hostile_outlet_is_plain_text_in_the_map_popup(page, server, shots):  # noqa: F811
    page.goto(server + "/search?" + urlencode({"source": HOSTILE[1]}))
    assert map_markers(page) >= 1
    page.locator("#event-map path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert HOSTILE[1] in popup.inner_text()
    assert page.locator("img[src=x]").count() == 0 and popup.locator("img").count() == 0
    page.screenshot(path=str(shots / "hostile-popup.png"))
    assert page.dialogs == [] and not page.errors and not page.foreign
