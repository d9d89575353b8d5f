"""Hostile input stays inert: article markup is escaped on every page, filters are validated, writes need a token."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import duckdb
import pytest
from fastapi.testclient import TestClient

from cablegram.web.app import create_app
from cablegram.web.render import highlight, json_for_script, web_link

from web_data import ESCAPED, HOSTILE

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def hostile_events(client) -> list[dict]:
    events = client.get("/api/events", params={"text": "alert(1)", "limit": 500}).json()["events"]
    assert events, "the hostile article should code to at least one event"
    return events


def hostile_pages(events) -> list[str]:
    """Every page on which the hostile article's title, outlet, sentences or URL can appear."""
    pairs = {(e["actor"]["country"], e["recipient"]["country"]) for e in events if e["recipient"]}
    return (["/", "/search?text=alert", "/search?" + urlencode({"source": HOSTILE[1]})]
            + [f"/events/{e['id']}" for e in events] + [f"/dyads/{a}/{b}" for a, b in pairs])


def test_article_markup_is_escaped_on_every_page(client, hostile_events):
    pages = hostile_pages(hostile_events)
    assert any(p.startswith("/dyads/") for p in pages)
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        for raw in HOSTILE + ("<img", "<script>alert"):
            assert raw not in r.text, f"{raw!r} unescaped on {path}"
        assert any(e in r.text for e in ESCAPED), f"hostile text missing from {path}"


def test_event_page_shows_both_payloads_as_text(client, hostile_events):
    text = "".join(client.get(f"/events/{e['id']}").text for e in hostile_events)
    assert all(e in text for e in ESCAPED)
    assert 'href="javascript:' not in text.lower()


def test_search_echoes_hostile_query_as_escaped_text(client):
    r = client.get("/search", params={"text": HOSTILE[1] + HOSTILE[0]})
    assert r.status_code == 200
    assert HOSTILE[0] not in r.text and HOSTILE[1] not in r.text
    assert 'value="&#34;&gt;&lt;img' in r.text


def test_pages_forbid_inline_and_foreign_scripts(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("param", ["actor", "recipient", "type", "quad", "since", "until"])
def test_hostile_structured_filters_are_refused(client, param):
    for value in ("' OR 1=1 --", "RUS' OR '1'='1", "1; DROP TABLE events"):
        assert client.get("/api/events", params={param: value}).status_code == 422
        assert client.get("/search", params={param: value}).status_code == 422


def test_hostile_outlet_filter_matches_nothing(client):
    for value in ("' OR 1=1 --", "%' OR '%'='", "x') OR (1=1"):
        body = client.get("/api/events", params={"source": value}).json()
        assert body["total"] == 0 and body["events"] == []


def test_hostile_search_text_is_searched_as_plain_words(client):
    """Quotes, operators and wildcards are not syntax: only the words are searched ('or' is a stop word)."""
    everything = client.get("/api/events", params={"limit": 500}).json()["total"]
    for value in ("' OR 1=1 --", "%' OR '%'='", "x') OR (1=1", "embassy:* | !x"):
        body = client.get("/api/events", params={"q": value, "limit": 500}).json()
        assert body["total"] < everything
        for ev in body["events"]:
            text = " ".join(m["sentence"] for m in ev["mentions"]).lower()
            assert "1" in text or "x" in text or "embass" in text


def test_hostile_path_values_are_refused(client):
    assert client.get("/api/dyads/RUS' OR 1=1 --/USA/timeline").status_code in (404, 422)
    assert client.get("/dyads/RUS/USA' OR '1'='1").status_code in (404, 422)
    assert client.get("/api/events/' OR 1=1 --").status_code == 404


def count_documents(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


RECORD = {"id": "intruder", "text": "Spain and Portugal held talks in Madrid on Monday."}


@pytest.mark.parametrize("token, headers, status", [
    ("", {}, 403),
    ("", {"Authorization": "Bearer anything"}, 403),
    (TOKEN, {}, 401),
    (TOKEN, {"Authorization": "Bearer wrong"}, 401),
    (TOKEN, {"Authorization": TOKEN}, 401),
    (TOKEN, {"Authorization": f"Basic {TOKEN}"}, 401),
])
def test_posting_without_the_token_is_refused_and_stores_nothing(db_copy, token, headers, status):
    before = count_documents(db_copy)
    with TestClient(create_app(str(db_copy), token=token)) as c:
        assert c.post("/api/documents", json=RECORD, headers=headers).status_code == status
    assert count_documents(db_copy) == before


def test_no_token_in_the_environment_means_no_writes(db_copy, monkeypatch):
    monkeypatch.delenv("CABLEGRAM_TOKEN", raising=False)
    with TestClient(create_app(str(db_copy))) as c:
        assert c.post("/api/documents", json=RECORD).status_code == 403
    monkeypatch.setenv("CABLEGRAM_TOKEN", TOKEN)
    with TestClient(create_app(str(db_copy))) as c:
        assert c.post("/api/documents", json=RECORD, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_oversized_bodies_are_refused_unread(db_copy):
    before = count_documents(db_copy)
    big = {"id": "big", "text": "Spain and Portugal held talks. " * 200}
    with TestClient(create_app(str(db_copy), token=TOKEN, max_body_bytes=1000)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert c.post("/api/documents", json=big, headers=auth).status_code == 413

        def chunks():  # no Content-Length: the limit holds while reading the stream
            yield json.dumps(big).encode()
        assert c.post("/api/documents", content=chunks(), headers=auth).status_code == 413
    assert count_documents(db_copy) == before


def test_highlight_escapes_every_piece():
    text = f"A {HOSTILE[0]} B. Second {HOSTILE[1]} sentence."
    start = text.index("Second")
    html = str(highlight(text, [(start, len(text))]))
    assert HOSTILE[0] not in html and HOSTILE[1] not in html
    assert html.count("<mark") == 1 and html.endswith("sentence.</mark>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_highlight_ignores_spans_outside_the_text_or_overlapping():
    assert str(highlight("abc", [(1, 9)])) == "abc"
    assert str(highlight("abcdef", [(0, 3), (2, 5)])).count("<mark") == 1


def test_json_for_a_script_element_cannot_close_it():
    data = {"s": "</script><script>alert(1)</script><!--", "t": "a & b \u2028"}
    out = str(json_for_script(data))
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == data


def test_only_web_addresses_become_links():
    assert web_link("https://example.org/a") == "https://example.org/a"
    for url in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil", "", None):
        assert web_link(url) is None
