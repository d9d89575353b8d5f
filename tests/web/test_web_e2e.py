"""The dashboard in a real headless Chromium (Debian's package, driven by Playwright) against `cablegram serve`."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from web_data import HOSTILE, running_server, watched_page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(built_db):
    """`cablegram serve` on a free loopback port; yields its base URL."""
    with running_server(built_db, "/api/events?limit=1") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records dialogs, script errors and every request that leaves the server."""
    with watched_page(browser, server) as pg:
        yield pg


def test_overview_to_pair_to_event_sentence(page, server, tmp_path):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Overview"
    page.get_by_role("link", name="RUS – USA").click()
    page.wait_for_url(server + "/dyads/RUS/USA")
    bars = page.locator("svg.pair-chart rect.mark.day").evaluate_all("rs => rs.map(r => +r.dataset.events)")
    assert sum(bars) > 0
    page.screenshot(path=str(tmp_path / "dyad.png"), full_page=True)

    page.locator("table.events a", has_text="CONSULT").first.click()
    page.wait_for_url(server + "/events/*")
    marks = page.locator(".doc-text mark")
    assert marks.count() >= 1
    sentences = page.locator("ul.mentions q").all_inner_texts()
    assert marks.first.inner_text() in sentences
    assert page.locator(".doc-text").first.inner_text().count(marks.first.inner_text()) >= 1
    assert page.locator(".outlet").first.inner_text() in ("North Ledger", "Lake Gazette")
    page.screenshot(path=str(tmp_path / "event.png"), full_page=True)
    assert (tmp_path / "event.png").stat().st_size > 10_000
    assert not page.errors and not page.foreign


def test_search_form_filters_and_pages(page, server):
    page.goto(server + "/search?limit=2")
    page.select_option("select[name=type]", "CONSULT")
    page.fill("input[name=actor]", "usa")
    page.click("button[type=submit]")
    rows = page.locator("table.events tbody tr")
    assert rows.count() >= 1
    assert all(t.startswith("CONSULT") for t in page.locator("table.events tbody td:nth-child(2)").all_inner_texts())
    page.goto(server + "/search?limit=2")
    page.click("text=older →")
    assert "offset=2" in page.url and page.locator("text=← newer").count() == 1
    assert not page.errors and not page.foreign


def test_hostile_article_stays_inert_text_in_the_browser(page, server, tmp_path):
    events = httpx.get(server + "/api/events", params={"text": "alert(1)"}).json()["events"]
    assert events
    pages = ["/", "/search?text=alert", f"/search?text={HOSTILE[0]}"] + [f"/events/{e['id']}" for e in events]
    pages += [f"/dyads/{e['actor']['country']}/{e['recipient']['country']}" for e in events if e["recipient"]]
    for path in pages:
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.locator("img[src=x]").count() == 0, path
        assert page.evaluate("() => [...document.scripts].filter(s => s.type !== 'application/json' "
                             "&& s.textContent.includes('alert')).length") == 0  # JSON data blocks never run
        assert page.evaluate("() => [...document.scripts].filter(s => s.type === 'application/json' "
                             "&& s.textContent.includes('<')).length") == 0
    page.goto(server + f"/events/{events[0]['id']}")
    body = page.locator("main").inner_text()
    assert HOSTILE[0] in body
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert page.dialogs == [] and not page.errors and not page.foreign


def test_api_docs_work_offline(page, server):
    page.goto(server + "/docs")
    page.get_by_text("/api/dyads/{a}/{b}/timeline").wait_for()
    assert not page.foreign
