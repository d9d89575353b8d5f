"""Stories in the JSON API against a real DuckDB file: paging, one story's parts, unknown and overlong ids."""

from __future__ import annotations

import duckdb
import pytest



@pytest.fixture(scope="module")
def all_stories(client) -> list[dict]:
    body = client.get("/api/stories", params={"limit": 500}).json()
    assert body["total"] == len(body["stories"]) > 0
    return body["stories"]


def documents(built_db) -> dict[str, str]:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        return dict(con.execute("SELECT id, text FROM documents").fetchall())
    finally:
        con.close()


def test_story_list_pages_cover_every_story_once_latest_first(client, all_stories):
    seen = []
    for offset in range(0, len(all_stories) + 1):
        body = client.get("/api/stories", params={"limit": 1, "offset": offset}).json()
        assert body["total"] == len(all_stories) and body["limit"] == 1 and body["offset"] == offset
        seen += body["stories"]
    assert [s["id"] for s in seen] == [s["id"] for s in all_stories]
    last = [s["last_date"] for s in all_stories if s["last_date"]]
    assert last == sorted(last, reverse=True)
    assert {"id", "title", "parties", "first_date", "last_date", "num_events", "num_documents"} <= set(all_stories[0])


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "many"}])
def test_bad_story_paging_is_refused(client, params):
    r = client.get("/api/stories", params=params)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", next(iter(params))]


def test_every_story_holds_its_events_documents_and_sentences(client, all_stories, built_db):
    texts = documents(built_db)
    for summary in all_stories:
        st = client.get(f"/api/stories/{summary['id']}").json()
        assert {k: st[k] for k in summary} == summary
        assert len(st["events"]) == st["num_events"] and len(st["documents"]) == st["num_documents"]
        doc_ids = {d["id"] for d in st["documents"]}
        for ev in st["events"]:
            assert ev["story_id"] == st["id"] and ev["mentions"]
            for m in ev["mentions"]:
                assert m["doc_id"] in doc_ids
                assert texts[m["doc_id"]][m["start"]:m["end"]] == m["sentence"]
        assert set(st["comparison"]["outlets"]) == {d["source"] for d in st["documents"] if d["source"]}
        event_ids = {e["id"] for e in st["events"]}
        for issue in st["issues"]:
            assert {step["event_id"] for step in issue["timeline"]} <= event_ids


def test_the_two_reports_of_the_vienna_talks_are_one_event_in_a_us_russia_story(client, all_stories):
    stories = [client.get(f"/api/stories/{s['id']}").json() for s in all_stories]
    [st] = [s for s in stories if {"ledger-talks", "gazette-talks"} <= {d["id"] for d in s["documents"]}]
    assert set(st["parties"][:2]) == {"RUS", "USA"}
    both = [e for e in st["events"] if {m["doc_id"] for m in e["mentions"]} >= {"ledger-talks", "gazette-talks"}]
    assert [e["event_type"] for e in both] == ["CONSULT"]
    [talks] = both
    assert talks["num_sources"] == 2 and talks["merge"] and talks["merge"][0]["joined"]
    assert set(st["comparison"]["outlets"]) == {"North Ledger", "Lake Gazette"}
    assert talks["id"] in {b["event_id"] for b in st["comparison"]["shared"]}
    assert "North Ledger" in st["comparison"]["only"]


def test_unknown_story_is_404_and_overlong_ids_are_refused(client):
    assert client.get("/api/stories/st_missing").status_code == 404
    assert client.get("/api/stories/" + "x" * 101).status_code == 422
    assert client.get("/api/stories/' OR 1=1 --").status_code == 404


def test_openapi_documents_the_story_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}"} <= set(paths)
    assert {p["name"] for p in paths["/api/stories"]["get"]["parameters"]} == {"limit", "offset"}
