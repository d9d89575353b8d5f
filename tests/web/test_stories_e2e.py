"""Stories in a real headless Chromium: from the overview to the US–Russia story, then to the consultations both
sample reports describe, with each report's sentences highlighted. Needs ../shared/seeds beside the project."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from cablegram.coding.coder import Coder
from cablegram.pipeline import RunReport, code_paths
from test_web_e2e import browser  # noqa: F401  (browser is a fixture used below)
from web_data import CORPUS, fill, running_server, watched_page

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"the two sample reports are not here ({SEEDS} is absent): put ../shared beside the project")
    return files


@pytest.fixture(scope="module")
def seeded_server(seed_files, tmp_path_factory):
    """`cablegram serve` over our corpus plus the two sample reports, consolidated as `ingest` does."""
    report = RunReport()
    coded = list(code_paths([str(CORPUS)] + [str(p) for p in seed_files], Coder(), report))
    assert not report.skipped and len(coded) == 4 + len(seed_files)
    db = tmp_path_factory.mktemp("seeded") / "events.duckdb"
    fill(str(db), coded)
    with running_server(str(db), "/api/stories") as base:
        yield base


def test_overview_to_us_russia_story_to_the_consultations_in_both_reports(browser, seeded_server,  # noqa: F811
                                                                          seed_files, tmp_path):
    base = seeded_server
    with watched_page(browser, base) as page:
        page.goto(base + "/")
        row = page.locator("table.stories tbody tr").filter(has=page.locator(".code", has_text="RUS")) \
            .filter(has=page.locator(".code", has_text="USA")).filter(has_text=re.compile(r"irritant|consultation"))
        row.first.locator("a").click()
        page.wait_for_url(base + "/stories/*")
        story_id = page.url.rsplit("/", 1)[1]
        story = httpx.get(f"{base}/api/stories/{story_id}").json()
        outlets = {d["source"] for d in story["documents"] if d["id"] in {p.stem for p in seed_files}}
        assert len(outlets) == 2, "both sample reports should be in the US–Russia story"
        assert page.evaluate("() => !!Chart.getChart(document.getElementById('timeline-chart'))")
        page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

        consult = page.locator("table.events tbody tr").filter(has=page.get_by_role("link", name="CONSULT", exact=True))
        both = [i for i in range(consult.count())
                if set(consult.nth(i).locator("td").last.inner_text().split(", ")) >= outlets]
        assert both, f"no CONSULT event in the story is reported by both {sorted(outlets)}"
        consult.nth(both[0]).get_by_role("link", name="CONSULT", exact=True).click()
        page.wait_for_url(base + "/events/*")
        shown = {}
        for i in range(page.locator("article.source-doc").count()):
            doc = page.locator("article.source-doc").nth(i)
            marks = doc.locator(".doc-text mark").all_inner_texts()
            shown[doc.locator(".outlet").inner_text()] = marks
            sentences = doc.locator("ul.mentions q").all_inner_texts()
            assert marks and all(any(m.strip() in s for s in sentences) for m in marks)
        assert outlets <= set(shown) and all(shown[o] for o in outlets)
        assert page.get_by_role("heading", name="Why these reports were joined").count() == 1
        page.screenshot(path=str(tmp_path / "consultations.png"), full_page=True)
        assert (tmp_path / "consultations.png").stat().st_size > 10_000
        assert not page.errors and not page.foreign
