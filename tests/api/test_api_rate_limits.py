"""Rate limits per key (429 + Retry-After) and the X-RateLimit-* headers on every answer."""

from __future__ import annotations

import time

import pytest

from api.keys import KeyStore
from urated import settings

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build


def headers_of(answer) -> tuple[int, int, int]:
    return (int(answer.headers["X-RateLimit-Limit"]), int(answer.headers["X-RateLimit-Remaining"]),
            int(answer.headers["X-RateLimit-Reset"]))


def test_a_key_over_its_rate_gets_429_with_retry_after(make_client):
    _, secret = KeyStore().create("three-a-minute", rate="3/minute")
    api = make_client()
    answers = [api.get("/v1/artists", headers={"X-API-Key": secret}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [headers_of(a)[:2] for a in answers] == [(3, 2), (3, 1), (3, 0), (3, 0)]
    refused = answers[-1]
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert headers_of(refused)[2] - time.time() <= 61


def test_limits_count_per_key(make_client, key):
    _, tight = KeyStore().create("one-a-minute", rate="1/minute")
    api = make_client()
    api.get("/v1/artists", headers={"X-API-Key": tight})
    assert api.get("/v1/artists", headers={"X-API-Key": tight}).status_code == 429
    assert api.get("/v1/artists", headers={"X-API-Key": key}).status_code == 200


def test_every_kind_of_answer_carries_the_rate_limit_headers(client):
    first = client.get("/v1/artists/art_alpha")
    answers = {
        200: first,
        304: client.get("/v1/artists/art_alpha", headers={"If-None-Match": first.headers["ETag"]}),
        404: client.get("/v1/artists/nobody"),
        422: client.get("/v1/artists", params={"limit": 1000}),
        401: client.get("/v1/artists", headers={"X-API-Key": "nope"}),
    }
    assert {code: a.status_code for code, a in answers.items()} == {code: code for code in answers}
    for answer in answers.values():
        limit, remaining, reset = headers_of(answer)
        assert limit > 0 and 0 <= remaining < limit and reset >= int(time.time())


def test_requests_without_a_valid_key_share_a_limit_per_address(make_client, monkeypatch):
    monkeypatch.setenv(settings.API_ANONYMOUS_RATE_VAR, "2/minute")
    api = make_client()
    codes = [api.get("/v1/health").status_code, api.get("/v1/artists").status_code, api.get("/v1/artists").status_code]
    assert codes == [200, 401, 429]
    assert api.get("/v1/health").headers["Retry-After"]
