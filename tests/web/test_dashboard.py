"""The analyst's dashboard over a real DuckDB file: the q search parameter, downloads with a listing's filters,
names beside codes, count labels, map and chart data (escaped), the story contents, and the typed OpenAPI."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from web_data import HOSTILE

ROOT = Path(__file__).parents[2]


def data_block(html: str, element_id: str):
    return json.loads(re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)[1])


def listing_ids(html: str) -> list[str]:
    return re.findall(r'<td><a href="/events/([^"]+)">', html)


def test_q_searches_and_text_is_its_alias(client):
    by_q = client.get("/api/events", params={"q": "embassies", "limit": 500}).json()
    assert by_q["total"] >= 1
    assert client.get("/api/events", params={"text": "embassies", "limit": 500}).json() == by_q
    assert client.get("/api/events", params={"q": "embass", "limit": 500}).json()["total"] >= by_q["total"]
    page = client.get("/search", params={"q": "embassies"}).text
    assert 'name="q" value="embassies"' in page and "best match first" in page
    assert listing_ids(page) == [e["id"] for e in by_q["events"]]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_downloads_hold_every_event_the_listing_filters_on_every_page(client, fmt):
    params = {"actor": "RUS", "per_report": "true"}
    listed = client.get("/api/events", params={**params, "limit": 500}).json()["events"]
    r = client.get(f"/api/events.{fmt}", params={**params, "limit": 1, "offset": 1})
    assert r.status_code == 200 and f'filename="events.{fmt}"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text))) if fmt == "csv" else [json.loads(l) for l in r.text.splitlines()]
    assert [row["id"] for row in rows] == [e["id"] for e in listed] and len(rows) >= 2
    assert client.get("/api/events.xml").status_code == 422


def test_pair_page_filters_and_its_downloads_follow_them(client):
    everything = listing_ids(client.get("/dyads/RUS/USA").text)
    page = client.get("/dyads/RUS/USA", params={"type": "CONSULT", "until": "2025-03"}).text
    consults = listing_ids(page)
    assert consults and len(consults) < len(everything)
    assert 'href="/api/dyads/RUS/USA/events.csv?type=CONSULT&amp;until=2025-03"' in page
    rows = list(csv.DictReader(io.StringIO(client.get("/api/dyads/USA/RUS/events.csv",
                                                      params={"type": "CONSULT", "until": "2025-03"}).text)))
    assert [r["id"] for r in rows] == consults and {r["event_type"] for r in rows} == {"CONSULT"}
    outlet = client.get("/dyads/RUS/USA", params={"source": "lake gazette"}).text
    assert 0 < len(listing_ids(outlet)) < len(everything)
    assert client.get("/dyads/RUS/USA", params={"quad": "verbal conflict", "type": "CONSULT"}).status_code == 200
    assert client.get("/dyads/RUS/USA", params={"since": "2025-13"}).status_code == 422


def test_story_download_and_contents(client):
    story = client.get("/api/stories").json()["stories"][0]
    html = client.get(f"/stories/{story['id']}").text
    assert '<nav class="toc"' in html and 'href="#issues"' in html and '<details id="issues"' in html
    rows = client.get(f"/api/stories/{story['id']}/events.jsonl").text.splitlines()
    assert len(rows) == story["num_events"]
    assert client.get("/api/stories/st_missing/events.csv").status_code == 404


def test_names_beside_codes_and_what_each_count_counts(client):
    overview = client.get("/").text
    assert '<span class="code">RUS</span> <span class="cname">Russia</span>' in overview
    assert "United States" in overview and "France" in overview
    for path in ("/", "/search", "/dyads/RUS/USA", "/search?per_report=true"):
        html = client.get(path).text
        assert "merged events" in html or "events as coded" in html, path
    assert "events as coded" in client.get("/search?per_report=true").text


def test_organisation_codes_are_named_too():
    from cablegram.gazetteer import code_name

    assert [code_name(c) for c in ("EUR", "UNO", "NATO", "PSE", "GBR")] == [
        "European Union", "United Nations", "North Atlantic Treaty Organization", "Palestine", "United Kingdom"]
    assert code_name("ZZZ") is None and code_name(None) is None


def test_map_and_chart_data_carry_article_text_only_escaped(client):
    overview = client.get("/").text
    points = data_block(overview, "map-data")
    assert points and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in points)
    ids = {e["id"] for p in points for e in p["events"]}
    assert all(client.get(f"/api/events/{i}").status_code == 200 for i in ids)
    hostile = client.get("/search", params={"source": HOSTILE[1]}).text
    block = re.search(r'id="map-data">(.*?)</script>', hostile, re.S)[1]
    assert "<" not in block and ">" not in block and "\\u003cimg" in block
    assert [HOSTILE[1]] in [e["outlets"] for p in data_block(hostile, "map-data") for e in p["events"]]
    chart = data_block(overview, "weekly-data")
    merged_days = [e for e in client.get("/api/events", params={"limit": 500}).json()["events"]
                   if e["date"] and len(e["date"]) == 10]
    assert sum(sum(w["counts"].values()) for w in chart["weeks"]) == len(merged_days)
    assert all(w["until"] > w["week"] for w in chart["weeks"])
    assert "<" not in re.search(r'id="weekly-data">(.*?)</script>', overview, re.S)[1]


def test_openapi_describes_events_with_the_documented_schema(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["Event"]["required"]) >= {"id", "event_type", "actor", "mentions"}
    assert schemas["Event"]["properties"]["actor"] == {"$ref": "#/components/schemas/Party"}
    ok = spec["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/EventPage"}
    one = spec["paths"]["/api/events/{event_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert one["schema"] == {"$ref": "#/components/schemas/MergedEvent"}
    assert "#/$defs" not in json.dumps(spec)
    packaged = ROOT / "src" / "cablegram" / "web" / "event.schema.json"
    assert packaged.read_text() == (ROOT / "docs" / "event.schema.json").read_text(), "copy docs/event.schema.json"


def test_whole_answers_are_reused_until_the_store_changes(db_copy):
    from fastapi.testclient import TestClient

    from cablegram.store import open_store
    from cablegram.web.app import create_app
    from store_data import make_item

    with TestClient(create_app(str(db_copy), token="")) as c:
        first = c.get("/api/events", params={"per_report": "true", "limit": 500})
        again = c.get("/api/events", params={"per_report": "true", "limit": 500})
        assert again.content == first.content and again.headers["content-security-policy"]
        with open_store(str(db_copy)) as writer:
            writer.add(*make_item(1))
        after = c.get("/api/events", params={"per_report": "true", "limit": 500}).json()
        assert after["total"] == first.json()["total"] + 2


def test_serve_with_two_worker_processes_gives_the_same_answers(built_db):
    import httpx

    from web_data import running_server

    with running_server(built_db, "/api/events?limit=1", "--workers", "2") as base:
        with httpx.Client(base_url=base, timeout=10) as http:
            answers = [http.get("/api/events", params={"q": "embassies"}) for _ in range(20)]
            assert {r.status_code for r in answers} == {200} and len({r.content for r in answers}) == 1
            assert http.get("/").status_code == 200
