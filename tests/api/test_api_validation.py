"""Bad input is a 422 that names the field and lists the allowed values; unknown artists are 404;
injection attempts in any parameter get 404/422 and never reach SQL as text."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build

ROUTES_WITH_PLATFORM = ["/v1/artists", "/v1/artists/growth?metric=views", "/v1/artists/top?metric=views",
                        "/v1/artists/filter?metric=views&lt=1", "/v1/artists/art_alpha/metrics",
                        "/v1/artists/art_alpha/growth", "/v1/anomalies", "/v1/artists/art_alpha/anomalies"]
INJECTIONS = [
    "' or '1'='1", "art_alpha'; drop table marts.dim_artists; --", "art_alpha\" or 1=1 --", "%' --",
    "1; select * from information_schema.tables", "art_alpha) union select * from marts.fct_metrics --",
    "a\x00b", "☃" * 50, "../../etc/passwd", "${jndi:ldap://x}", "x" * 200,
]


def problem(answer, field: str) -> dict:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request" and field in body["message"]
    return next(p for p in body["fields"] if p["field"] == field)


def join(route: str, param: str) -> str:
    return route + ("&" if "?" in route else "?") + param


@pytest.mark.parametrize("route", ROUTES_WITH_PLATFORM)
def test_an_unknown_platform_is_refused_with_the_platforms_listed(client, route):
    found = problem(client.get(join(route, "platform=tiktok")), "platform")
    assert found["allowed"] == ["youtube", "spotify", "instagram"] and found["location"] == "query"


def test_an_unknown_metric_is_refused_with_the_metrics_listed(client):
    found = problem(client.get("/v1/artists/top?platform=youtube&metric=likes"), "metric")
    assert "subscribers" in found["allowed"] and "monthly_listeners" in found["allowed"]


@pytest.mark.parametrize("route", ["/v1/artists/top?platform=youtube&metric=views", "/v1/artists/art_alpha/growth",
                                   "/v1/artists/growth?platform=youtube&metric=views"])
def test_an_unknown_period_is_refused_with_the_periods_listed(client, route):
    assert problem(client.get(join(route, "period=2w")), "period")["allowed"] == ["1d", "7d", "30d", "90d", "365d"]


@pytest.mark.parametrize("route, param", [("/v1/artists/art_alpha/metrics", "from"), ("/v1/artists/art_alpha/metrics", "to"),
                                          ("/v1/anomalies", "since"), ("/v1/artists/art_alpha/growth", "as_of")])
def test_a_malformed_date_is_refused_naming_the_parameter(client, route, param):
    found = problem(client.get(join(route, f"{param}=2024-13-45")), param)
    assert "date" in found["message"].lower()


@pytest.mark.parametrize("route", ["/v1/artists", "/v1/anomalies", "/v1/artists/top?platform=youtube&metric=views",
                                   "/v1/artists/growth?platform=youtube&metric=views"])
def test_a_limit_over_100_is_refused(client, route):
    assert "100" in problem(client.get(join(route, "limit=101")), "limit")["message"]


def test_required_parameters_are_named_when_missing(client):
    answer = client.get("/v1/artists/top")
    assert {p["field"] for p in answer.json()["fields"]} == {"platform", "metric"}


def test_a_misspelt_parameter_is_refused_not_ignored(client):
    assert problem(client.get("/v1/artists?platfrom=youtube"), "platfrom")["message"] == "unknown parameter for this route"


def test_contradictory_bounds_are_refused(client):
    assert problem(client.get("/v1/artists/filter?platform=youtube&metric=views&lt=10&gt=20"), "gt")
    assert problem(client.get("/v1/artists/art_alpha/metrics?from=2024-02-01&to=2024-01-01"), "to")
    assert "lt" in problem(client.get("/v1/artists/filter?platform=youtube&metric=views"), "gt")["message"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJmIjoiMTIzIiwicCI6e319", "e30"])
def test_a_cursor_this_api_did_not_issue_is_refused(client, cursor):
    assert problem(client.get("/v1/artists", params={"cursor": cursor}), "cursor")


def test_a_cursor_is_only_valid_with_the_filters_it_was_issued_for(client):
    cursor = client.get("/v1/artists", params={"limit": 1}).json()["next_cursor"]
    assert client.get("/v1/artists", params={"limit": 1, "cursor": cursor}).status_code == 200
    assert "other filters" in problem(client.get("/v1/artists", params={"status": "active", "cursor": cursor}), "cursor")["message"]


@pytest.mark.parametrize("route", ["/v1/artists/{}", "/v1/artists/{}/metrics", "/v1/artists/{}/growth", "/v1/artists/{}/anomalies"])
def test_an_unknown_artist_is_404_on_every_artist_route(client, route):
    answer = client.get(route.format("art_nobody"))
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert "art_nobody" in answer.json()["message"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_attempts_are_answered_as_plain_values(client, api_world, payload):
    answers = [
        client.get("/v1/artists", params={"q": payload}),
        client.get(f"/v1/artists/{quote(payload, safe='')}"),
        client.get(f"/v1/artists/{quote(payload, safe='')}/metrics"),
        client.get("/v1/artists/top", params={"platform": payload, "metric": "views"}),
        client.get("/v1/anomalies", params={"since": payload}),
        client.get("/v1/artists", params={"cursor": payload}),
        client.get("/v1/artists/filter", params={"platform": "youtube", "metric": "views", "lt": payload}),
    ]
    assert all(a.status_code in (200, 404, 422) for a in answers), [(a.url, a.status_code) for a in answers]
    assert answers[0].json()["data"] == []  # no name contains the payload, and it matched nothing else
    assert api_world.sql("select count(*) from marts.dim_artists")[0][0] == 5
