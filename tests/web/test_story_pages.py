"""The story pages against a real DuckDB file: list, dossier, merged event page, and hostile article text kept inert."""

from __future__ import annotations

import json
import re

import pytest

from web_data import ESCAPED, HOSTILE



@pytest.fixture(scope="module")
def stories(client) -> list[dict]:
    return [client.get(f"/api/stories/{s['id']}").json() for s in client.get("/api/stories").json()["stories"]]


def story_with(stories, doc_id: str) -> dict:
    [st] = [s for s in stories if doc_id in {d["id"] for d in s["documents"]}]
    return st


def test_overview_and_story_list_link_every_story(client, stories):
    for path in ("/", "/stories"):
        html = client.get(path).text
        for st in stories:
            assert f'href="/stories/{st["id"]}"' in html, path
    assert "Latest stories" in client.get("/").text


def test_story_list_pages_link_each_story_once_with_newer_and_older_links(client, stories):
    order = [s["id"] for s in client.get("/api/stories").json()["stories"]]
    assert len(order) >= 3
    seen, path = [], "/stories?limit=2&offset=0"
    while path:
        html = client.get(path).text
        assert f"{len(order)} stories" in html
        seen += re.findall(r'href="/stories/(st_[^"]+)"', html)
        older = re.search(r'<a href="([^"]+)">older', html)
        path = older[1].replace("&amp;", "&") if older else None
    assert seen == order
    last = client.get(f"/stories?limit=2&offset={len(order) - 1}").text
    assert "newer</a>" in last and "older" not in last
    assert client.get("/stories", params={"limit": 0}).status_code == 422
    assert client.get("/stories", params={"offset": -1}).status_code == 422


def test_dossier_shows_events_issues_comparison_and_chart_data(client, stories):
    st = story_with(stories, "ledger-talks")
    r = client.get(f"/stories/{st['id']}")
    assert r.status_code == 200
    html = r.text
    for ev in st["events"]:
        assert f'href="/events/{ev["id"]}"' in html
    for heading in ("Timeline", "Events, in order", "Issues", "How the outlets compare", "Where they disagree",
                    "Reported by every outlet", "Reported by one outlet only", "Reports"):
        assert f">{heading}<" in html, heading
    data = json.loads(re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S)[1])
    charted = sum(sum(w["counts"].values()) for w in data["weeks"])
    assert charted == sum(1 for e in st["events"] if e["date"] and len(e["date"]) == 10) > 0
    assert '<script src="/static/chart.umd.min.js"></script>' in html


def test_unknown_and_overlong_story_pages(client):
    assert client.get("/stories/st_missing").status_code == 404
    assert "no such story" in client.get("/stories/st_missing").text
    assert client.get("/stories/" + "s" * 101).status_code == 422


def test_merged_event_page_highlights_each_report_and_says_why_they_were_joined(client, stories):
    st = story_with(stories, "ledger-talks")
    [talks] = [e for e in st["events"] if {m["doc_id"] for m in e["mentions"]} >= {"ledger-talks", "gazette-talks"}]
    html = client.get(f"/events/{talks['id']}").text
    articles = html.split('<article class="source-doc">')[1:]
    assert len(articles) == 2
    outlets = {re.search(r'<span class="outlet">([^<]*)</span>', a)[1] for a in articles if "<mark" in a}
    assert outlets == {"Lake Gazette", "North Ledger"}
    text = re.sub(r"<[^>]+>", "", html)
    assert "Why these reports were joined" in text
    assert "Lake Gazette + North Ledger" in text or "North Ledger + Lake Gazette" in text
    assert f'href="/stories/{st["id"]}"' in html


def test_hostile_article_is_inert_text_on_the_story_pages(client, stories):
    st = story_with(stories, "hostile-post")
    showing_text = [f"/stories/{st['id']}"] + [f"/events/{e['id']}" for e in st["events"]]
    for path in ["/", "/stories"] + showing_text:
        html = client.get(path).text
        for raw in HOSTILE + ("<img", "<script>alert"):
            assert raw not in html, f"{raw!r} unescaped on {path}"
        assert path not in showing_text or any(e in html for e in ESCAPED), f"hostile text missing from {path}"
    dossier = client.get(f"/stories/{st['id']}").text
    assert all(e in dossier for e in ESCAPED)
