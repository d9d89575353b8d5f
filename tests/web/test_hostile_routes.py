"""Every route, walked with hostile values in every path and query parameter, answers 4xx or 2xx, never 5xx;
HEAD works wherever GET does; errors keep the security headers and never echo a long input."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from cablegram.web.app import create_app

TOKEN = "s3cret-token"
HOSTILE = ["9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "-1", "1e309", "NaN",
           "0x10", "", " ", "'; DROP TABLE events; --", "<script>alert(1)</script>", "../../etc/passwd", "%00",
           "２０２５", "RUS\nUSA", "a" * 30_000]  # the client refuses URLs much longer
ALONE = HOSTILE[:3] + HOSTILE[-1:] + ["", "'; DROP TABLE events; --"]  # also tried in each parameter alone
SECURITY_HEADERS = ("x-content-type-options", "referrer-policy", "x-frame-options")


def query_names(dependant) -> list[str]:
    """The query parameters a route reads, its dependencies' included."""
    names = [p.alias for p in dependant.query_params]
    for sub in dependant.dependencies:
        names += query_names(sub)
    return names


def walk(routes):
    for route in routes:
        inner = getattr(route, "original_router", None)  # an included router, as this FastAPI keeps them
        yield from walk(inner.routes) if inner is not None else [route]


def get_routes(app) -> list[tuple[str, list[str], list[str]]]:
    """(path template, path parameters, query parameters) of every GET route."""
    found = []
    for route in walk(app.routes):
        if not isinstance(route, (APIRoute, Route)) or "GET" not in (route.methods or ()):
            continue
        query = query_names(route.dependant) if isinstance(route, APIRoute) else []
        found.append((route.path, list(route.param_convertors), query))
    return found


def fill_path(template: str, params: list[str], value: str) -> str:
    path = template
    for name in params:
        path = path.replace("{" + name + "}", quote(value[:2000], safe=""))
    return path


def assert_answered(r, what: str) -> None:
    assert r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"
    for header in SECURITY_HEADERS:
        assert header in r.headers, f"{what}: no {header}"
    assert len(r.content) < 20_000 or r.status_code == 200, f"{what}: {len(r.content)} bytes in an error"


def test_every_route_survives_hostile_values(client):
    routes = get_routes(client.app)
    assert any(p == "/api/stories" for p, _, _ in routes) and len(routes) >= 12
    for template, params, query in routes:
        for value in HOSTILE:
            path = fill_path(template, params, value if params else "x")
            r = client.get(path, params={q: value[:2000] for q in query})
            assert_answered(r, f"GET {path[:80]} {query} = {value[:30]!r}")
            for q in query if value in ALONE else ():  # one at a time: a neighbour's 422 hides nothing
                r = client.get(fill_path(template, params, "USA"), params={q: value})
                assert_answered(r, f"GET {template} {q}={value[:30]!r}")


def test_huge_offsets_are_refused_not_failed(client):
    for path in ("/api/stories", "/api/events", "/stories", "/search"):
        r = client.get(path, params={"offset": "9223372036854775808"})
        assert r.status_code == 422, path
    assert client.get("/api/stories", params={"offset": 1_000_000}).status_code == 200


def test_head_answers_wherever_get_does(client):
    for path in ("/", "/stories", "/search?q=embassy", "/api/events", "/api/stories", "/openapi.json", "/docs",
                 "/static/style.css"):
        got, head = client.get(path), client.head(path)
        assert got.status_code == 200 and head.status_code == 200, path
        assert head.content == b"" and head.headers.get("content-type") == got.headers.get("content-type"), path
    assert client.head("/api/events/nope").status_code == 404


def test_a_422_does_not_echo_a_long_input(client):
    r = client.get("/api/events", params={"q": "x" * 30_000})
    assert r.status_code == 422 and len(r.content) < 2_000
    assert "30,000 characters" in r.text


def test_deep_or_broken_json_is_a_400(db_copy):
    with TestClient(create_app(str(db_copy), token=TOKEN)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        for body in ("[" * 100_000 + "]" * 100_000, '{"documents": [' * 50_000, "{\"text\": \"a\"", "\xff"):
            r = c.post("/api/documents", content=body.encode("utf-8", "surrogateescape"), headers=auth)
            assert r.status_code == 400, (body[:20], r.status_code, r.text[:200])
            assert_answered(r, "POST deep JSON")


def test_an_unexpected_failure_is_a_plain_500_with_the_security_headers(built_db):
    app = create_app(str(built_db), token="")

    def broken():
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/broken")
    assert r.status_code == 500 and json.loads(r.text) == {"detail": "internal server error"}
    for header in SECURITY_HEADERS + ("content-security-policy",):
        assert header in r.headers


@pytest.mark.parametrize("value", ["rus", "Rus"])
def test_codes_in_any_case_are_read_as_codes(client, value):
    assert client.get("/api/events", params={"actor": value}).json()["events"] == \
        client.get("/api/events", params={"actor": "RUS"}).json()["events"]


def test_a_code_nobody_has_is_refused(client):
    assert client.get("/api/events", params={"actor": "XQZ"}).status_code == 422
