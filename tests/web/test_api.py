"""The JSON API against a real DuckDB file built from our own small corpus: filters, paging, timelines, posting."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cablegram.cli import app as cli
from cablegram.web.app import create_app
from web_data import fill

TOKEN = "test-token-7f3a"


@pytest.fixture(scope="module", params=["merged", "per report"])
def mode(request) -> dict:
    """Query parameters of each listing: merged across reports (the default) or as coded in each report."""
    return {} if request.param == "merged" else {"per_report": "true"}


@pytest.fixture(scope="module")
def everything(client, mode) -> list[dict]:
    body = client.get("/api/events", params={"limit": 500, **mode}).json()
    assert body["total"] == len(body["events"]) > 0
    return body["events"]


def ids(events) -> set[str]:
    return {e["id"] for e in events}


def words(e: dict) -> str:
    """What the text filter searches: the sentences and the parties' words and names."""
    parties = [p for p in (e["actor"], e["recipient"]) if p]
    return " ".join([m["sentence"] for m in e["mentions"]] + [p["text"] + " " + (p["name"] or "") for p in parties]).lower()


def fetch(client, mode, **params) -> list[dict]:
    r = client.get("/api/events", params={"limit": 500, **mode, **params})
    assert r.status_code == 200, r.text
    return r.json()["events"]


def test_total_matches_the_database(client, built_db, everything, mode):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        table = "events" if mode else "merged_events"
        assert len(everything) == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_merged_listing_has_one_row_per_real_world_event_holding_every_coded_event_once(client):
    merged = fetch(client, {})
    coded = fetch(client, {"per_report": "true"})
    assert len(merged) < len(coded)
    assert sorted(m["start"] for e in merged for m in e["mentions"]) == sorted(m["start"] for e in coded for m in e["mentions"])
    assert all(e["num_articles"] == len({m["doc_id"] for m in e["mentions"]}) and e["num_sources"] >= 1 for e in merged)
    joined = [e for e in merged if e["num_articles"] > 1]
    assert joined and all(e["merge"] for e in joined)
    assert all("num_articles" not in e for e in coded)


def test_one_event_is_the_merged_event_unless_asked_per_report(client):
    joined = next(e for e in fetch(client, {}) if e["num_articles"] > 1)
    members = [e for e in fetch(client, {"per_report": "true"})
               if {(m["doc_id"], m["start"]) for m in e["mentions"]} <= {(m["doc_id"], m["start"]) for m in joined["mentions"]}]
    assert len(members) >= 2
    for member in members:
        assert client.get(f"/api/events/{member['id']}").json() == joined
        assert client.get(f"/api/events/{member['id']}", params={"per_report": "true"}).json() == member
    page = client.get(f"/events/{joined['id']}").text
    assert f'href="/api/events/{joined["id"]}"' in page


def test_overview_lists_the_latest_merged_events(client):
    latest = client.get("/").text.split("Latest events")[1]
    merged = [e["id"] for e in fetch(client, {})][:20]
    assert re.findall(r'href="/events/([^"]+)"', latest) == merged


def test_pages_cover_every_event_once_newest_first(client, everything, mode):
    seen = []
    for offset in range(0, len(everything) + 2, 2):
        body = client.get("/api/events", params={"limit": 2, "offset": offset, **mode}).json()
        assert body["total"] == len(everything) and body["offset"] == offset and body["limit"] == 2
        seen += body["events"]
    assert [e["id"] for e in seen] == [e["id"] for e in everything]
    dated = [e["date"] for e in everything if e["date"]]
    assert dated == sorted(dated, reverse=True)
    assert all(e["date"] is None for e in everything[len(dated):])


@pytest.mark.parametrize("params, keep", [
    ({"actor": "RUS"}, lambda e: e["actor"]["country"] == "RUS"),
    ({"actor": "rus"}, lambda e: e["actor"]["country"] == "RUS"),
    ({"recipient": "USA"}, lambda e: (e["recipient"] or {}).get("country") == "USA"),
    ({"type": "CONSULT"}, lambda e: e["event_type"] == "CONSULT"),
    ({"type": "consult"}, lambda e: e["event_type"] == "CONSULT"),
    ({"quad": "verbal conflict"}, lambda e: e["quad"] == "verbal conflict"),
    ({"since": "2025-04"}, lambda e: e["date"] is not None and e["date"] >= "2025-04"),
    ({"until": "2025-03"}, lambda e: e["date"] is not None and e["date"][:7] <= "2025-03"),
    ({"since": "2025-03-05", "until": "2025-04-30"},
     lambda e: e["date"] is not None and "2025-03-05" <= e["date"] and e["date"][:10] <= "2025-04-30"),
    ({"source": "north ledger"}, lambda e: any(m["source"] == "North Ledger" for m in e["mentions"])),
    ({"text": "Vienna"}, lambda e: "vienna" in words(e)),
    ({"actor": "RUS", "type": "CONSULT"}, lambda e: e["actor"]["country"] == "RUS" and e["event_type"] == "CONSULT"),
])
def test_filters_select_exactly_the_matching_events(client, everything, mode, params, keep):
    expected = ids(e for e in everything if keep(e))
    assert expected, f"the corpus should hold events for {params}"
    assert expected != ids(everything), f"{params} should leave some events out"
    assert ids(fetch(client, mode, **params)) == expected


@pytest.mark.parametrize("params", [{"since": "2025-13"}, {"until": "2025-02-30"}, {"since": "2025-00-10"},
                                    {"limit": 0}, {"limit": 100000}, {"offset": -1}, {"type": "HUG"},
                                    {"quad": "conflict"}, {"actor": "R"}])
def test_invalid_filter_values_are_refused_with_the_reason(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", next(iter(params))]


def test_empty_filter_values_mean_no_filter(client, everything, mode):
    assert ids(fetch(client, mode, actor="", type="", quad="", since="", text="")) == ids(everything)


def test_event_with_mentions_pointing_into_stored_documents(client, built_db, everything, mode):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        for summary in everything:
            ev = client.get(f"/api/events/{summary['id']}", params=mode).json()
            assert ev == summary and ev["mentions"]
            for m in ev["mentions"]:
                text = con.execute("SELECT text FROM documents WHERE id = ?", [m["doc_id"]]).fetchone()[0]
                assert text[m["start"]:m["end"]] == m["sentence"]
    finally:
        con.close()
    assert client.get("/api/events/ev_missing").status_code == 404


def test_dyad_timeline_counts_both_directions_per_week(client):
    body = client.get("/api/dyads/usa/rus/timeline").json()
    pair = [e for e in fetch(client, {"per_report": "true"}) if {e["actor"]["country"], (e["recipient"] or {}).get("country")} == {"USA", "RUS"}]
    assert body["a"] == "USA" and body["b"] == "RUS" and body["events"] == len(pair)
    expected: dict[str, dict[str, int]] = {}
    for e in pair:
        if e["date"] and len(e["date"]) == 10:
            day = date.fromisoformat(e["date"])
            week = (day - timedelta(days=day.weekday())).isoformat()
            expected.setdefault(week, {}).setdefault(e["quad"], 0)
            expected[week][e["quad"]] += 1
    weeks = body["weeks"]
    assert weeks and [w["week"] for w in weeks if any(w["counts"].values())] == sorted(expected)
    for w in weeks:
        assert {q: n for q, n in w["counts"].items() if n} == expected.get(w["week"], {})
        assert set(w["counts"]) == set(body["quads"]) and date.fromisoformat(w["week"]).weekday() == 0
    steps = {date.fromisoformat(b["week"]) - date.fromisoformat(a["week"]) for a, b in zip(weeks, weeks[1:])}
    assert steps <= {timedelta(days=7)}
    coarse = [e for e in pair if not e["date"] or len(e["date"]) < 10]
    assert body["lanes"] == {"day": len(pair) - len(coarse), "period": sum(1 for e in coarse if e["date"]),
                             "undated": sum(1 for e in coarse if not e["date"])} and body["not_drawn"] == 0
    assert {e["id"] for e in body["periods"] + body["undated"]} == {e["id"] for e in coarse}
    assert {q for w in weeks for q, n in w["counts"].items() if n} >= {"verbal cooperation", "material conflict"}


def test_dyad_with_no_events_is_empty(client):
    assert client.get("/api/dyads/NOR/CHL/timeline").json()["weeks"] == []


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/dyads/{a}/{b}/timeline", "/api/documents"} <= set(paths)
    docs = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_posting_documents_with_the_token_codes_and_stores_them(db_copy):
    record = {"id": "post-1", "title": "Envoys meet in Oslo", "date": "2025-06-03", "source": "Fjord Times",
              "text": "OSLO, June 3 (Fjord Times) - Japanese and Korean diplomats held talks in Oslo on Tuesday "
                      "about fishing rights."}
    with TestClient(create_app(str(db_copy), token=TOKEN)) as c:
        per_report = {"per_report": "true"}
        before = c.get("/api/events", params=per_report).json()["total"]
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = c.post("/api/documents", json=record, headers=auth)
        assert r.status_code == 201, r.text
        [stored] = r.json()["stored"]
        assert stored["id"] == "post-1" and stored["events"]
        assert c.get("/api/events", params=per_report).json()["total"] == before + len(stored["events"])
        ev = c.get(f"/api/events/{stored['events'][0]}", params=per_report).json()
        assert ev["mentions"][0]["doc_id"] == "post-1" and ev["mentions"][0]["source"] == "Fjord Times"
        merged = c.get(f"/api/events/{stored['events'][0]}").json()
        assert ev["mentions"][0] in merged["mentions"] and merged["num_articles"] >= 1
        stories = [c.get(f"/api/stories/{s['id']}").json() for s in c.get("/api/stories").json()["stories"]]
        [story] = [s for s in stories if "post-1" in {d["id"] for d in s["documents"]}]
        assert {"JPN", "KOR"} <= set(story["parties"]) and story["comparison"]["outlets"] == ["Fjord Times"]
        again = c.post("/api/documents", json={"documents": [record]}, headers=auth)
        assert again.status_code == 200 and again.json()["unchanged"] == [{"id": "post-1"}]
        assert c.get("/api/events", params=per_report).json()["total"] == before + len(stored["events"])


def test_posting_reports_unreadable_records_and_keeps_the_good_ones(db_copy):
    good = {"id": "post-2", "text": "Chile and Peru signed a trade agreement in Lima on Monday."}
    with TestClient(create_app(str(db_copy), token=TOKEN)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = c.post("/api/documents", json={"documents": [good, {"id": "no-text"}, {"text": 5}]}, headers=auth)
        assert r.status_code == 201, r.text
        body = r.json()
        assert [s["id"] for s in body["stored"]] == ["post-2"]
        reasons = {s["origin"]: s["reason"] for s in body["skipped"]}
        assert reasons == {"documents[1]": "missing text",
                           "documents[2]": "wrong type for field text (expected string, got integer)"}
        bad = c.post("/api/documents", json={"id": "x", "text": "  "}, headers=auth)
        assert bad.status_code == 422 and "empty text" in json.dumps(bad.json())
        assert c.post("/api/documents", content=b"{not json", headers=auth).status_code == 400


def test_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_weekly_series_fills_gaps_across_a_year_end_and_skips_bad_dates():
    from cablegram.web.timeline import weekly_series

    rows = [{"date": "2024-12-30", "quad": "verbal conflict", "events": 2},
            {"date": "2025-01-05", "quad": "verbal cooperation", "events": 1},
            {"date": "2025-01-14", "quad": "material conflict", "events": 3},
            {"date": "2025-02-30", "quad": "material conflict", "events": 9}]
    series = weekly_series(rows)
    assert [w["week"] for w in series] == ["2024-12-30", "2025-01-06", "2025-01-13"]
    assert series[0]["counts"]["verbal conflict"] == 2 and series[0]["counts"]["verbal cooperation"] == 1
    assert sum(series[1]["counts"].values()) == 0 and series[2]["counts"]["material conflict"] == 3


def test_the_api_answers_the_same_from_postgresql(client, pg_url, coded_corpus):
    fill(pg_url, coded_corpus)
    with TestClient(create_app(pg_url, token="")) as pg:
        for path, params in [("/api/events", {"limit": 500}), ("/api/events", {"actor": "RUS", "since": "2025-04"}),
                             ("/api/events", {"text": "vienna", "limit": 2, "offset": 1}),
                             ("/api/events", {"limit": 500, "per_report": "true"}),
                             ("/api/events", {"source": "north ledger", "per_report": "true"}),
                             ("/api/events", {"source": "north ledger", "type": "CONSULT"}),
                             ("/api/dyads/RUS/USA/timeline", {}), ("/api/stories", {})]:
            assert pg.get(path, params=params).json() == client.get(path, params=params).json(), (path, params)
        for story in client.get("/api/stories").json()["stories"]:
            assert pg.get(f"/api/stories/{story['id']}").json() == client.get(f"/api/stories/{story['id']}").json()
        assert pg.get("/").status_code == 200 and pg.get("/dyads/RUS/USA").status_code == 200
