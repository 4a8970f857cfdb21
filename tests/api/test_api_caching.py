"""ETags come from the data version: 304 while it holds; a publish changes them and empties the cache."""

from __future__ import annotations

import pytest

from api.keys import KeyStore
from urated import settings, warehouse

from .api_support import change_and_publish

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build


def test_an_answer_carries_the_snapshots_version_as_its_etag(client):
    answer = client.get("/v1/artists")
    assert answer.headers["ETag"].strip('"').split(".")[0] == warehouse.current_snapshot().version
    assert client.get("/v1/artists/art_beta").headers["ETag"] == answer.headers["ETag"]


def test_a_matching_if_none_match_gets_304_without_a_body(client):
    etag = client.get("/v1/artists/art_alpha/growth").headers["ETag"]
    for presented in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        answer = client.get("/v1/artists/art_alpha/growth", headers={"If-None-Match": presented})
        assert answer.status_code == 304 and answer.content == b"" and answer.headers["ETag"] == etag
    assert client.get("/v1/artists/art_alpha/growth", headers={"If-None-Match": '"stale.1"'}).status_code == 200


def test_the_etag_does_not_change_with_time_or_cache_state(make_client, key):
    first = make_client(cache_entries=0).get("/v1/artists/top?platform=youtube&metric=views", headers={"X-API-Key": key})
    second = make_client().get("/v1/artists/top?platform=youtube&metric=views", headers={"X-API-Key": key})
    assert first.headers["ETag"] == second.headers["ETag"] and first.content == second.content


def test_a_publish_is_served_at_once_with_a_new_etag_and_no_stale_cache(client, private_world):
    before = client.get("/v1/artists/art_alpha")
    assert client.get("/v1/artists/art_alpha").content == before.content  # cached now
    change_and_publish(private_world, "update marts.dim_artists set artist_name = 'Alpha (renamed)' where artist_id = 'art_alpha'")
    after = client.get("/v1/artists/art_alpha", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.json()["artist_name"] == "Alpha (renamed)"
    assert client.get("/v1/artists", params={"q": "renamed"}).json()["data"][0]["artist_id"] == "art_alpha"


def test_the_api_says_when_nothing_has_been_published_yet(make_client, tmp_path, monkeypatch):
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(tmp_path / "never_built.duckdb"))
    api = make_client()
    _, fresh = KeyStore().create("empty")
    assert api.get("/v1/health").json() == {"status": "no_data", "version": None, "published_at": None, "sources": []}
    answer = api.get("/v1/artists", headers={"X-API-Key": fresh})
    assert answer.status_code == 503 and "make demo" in answer.json()["message"]
