"""Keys: required on every /v1 route but health, random, shown once, stored only as a salted hash."""

from __future__ import annotations

import base64
import logging
import sqlite3
import subprocess
import sys

import pytest

from api.keys import KeyStore
from urated import settings

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build

ARTIST_ROUTES = ["/v1/artists/{artist_id}", "/v1/artists/{artist_id}/metrics", "/v1/artists/{artist_id}/growth",
                 "/v1/artists/{artist_id}/anomalies"]


def every_key_route(client) -> list[str]:
    """Each protected route of the OpenAPI document, with an artist filled in and its required parameters."""
    paths = [p for p in client.get("/openapi.json").json()["paths"] if p != "/v1/health"]
    required = {"/v1/artists/growth": "?platform=youtube&metric=views", "/v1/artists/top": "?platform=youtube&metric=views",
                "/v1/artists/filter": "?platform=youtube&metric=views&lt=5"}
    return [p.replace("{artist_id}", "art_alpha") + required.get(p, "") for p in paths]


def test_every_route_but_health_needs_a_key(make_client):
    api = make_client()
    routes = every_key_route(api)
    assert len(routes) == 9
    for route in routes:
        answer = api.get(route)
        assert answer.status_code == 401, route
        assert answer.json()["error"] == "unauthorized"
        assert "WWW-Authenticate" in answer.headers
    assert api.get("/v1/health").status_code == 200


@pytest.mark.parametrize("presented, problem", [
    ("urk_0123456789abcdef_" + "A" * 43, "unknown API key"),
    ("not-a-key", "this is not a uRated API key"),
    ("urk__", "this is not a uRated API key"),
])
def test_unknown_or_malformed_keys_get_401_with_a_json_body(make_client, presented, problem):
    answer = make_client().get("/v1/artists", headers={"X-API-Key": presented})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["message"].startswith(problem)


def test_a_wrong_secret_for_a_real_key_id_is_refused(make_client, key):
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert make_client().get("/v1/artists", headers={"X-API-Key": forged}).status_code == 401


def test_the_key_works_as_a_bearer_token_too(make_client, key):
    assert make_client().get("/v1/artists", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_a_revoked_key_is_refused_from_the_next_request_without_a_restart(make_client):
    store = KeyStore()
    _, secret = store.create("soon-revoked")
    api = make_client()
    assert api.get("/v1/artists", headers={"X-API-Key": secret}).status_code == 200
    store.revoke("soon-revoked")
    answer = api.get("/v1/artists", headers={"X-API-Key": secret})
    assert answer.status_code == 401 and answer.json()["message"] == "this API key has been revoked"


def test_keys_carry_at_least_128_random_bits_and_differ(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite")
    secrets = [store.create(f"k{i}")[1] for i in range(3)]
    for secret in secrets:
        raw = base64.urlsafe_b64decode(secret.split("_", 2)[2] + "==")
        assert len(raw) * 8 >= 128
    assert len(set(secrets)) == 3


def test_the_store_keeps_only_salted_hashes_beside_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(tmp_path / "warehouse.duckdb"))
    store = KeyStore()
    assert store.path == tmp_path / "warehouse_api_keys.sqlite"
    _, first = store.create("a")
    _, second = store.create("b")
    content = store.path.read_bytes()
    for secret in (first, second):
        assert secret.split("_", 2)[2].encode() not in content
    with sqlite3.connect(store.path) as con:
        salts, hashes = zip(*con.execute("select salt, secret_hash from api_keys").fetchall())
    assert len(set(salts)) == 2 and len(set(hashes)) == 2
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "warehouse.duckdb").exists()  # the warehouse is never touched


def test_a_name_has_one_active_key_and_can_be_reused_after_revoking(tmp_path):
    from api.keys import KeyStoreError

    store = KeyStore(tmp_path / "keys.sqlite")
    store.create("partner")
    with pytest.raises(KeyStoreError, match="exists already"):
        store.create("partner")
    store.revoke("partner")
    store.create("partner")
    assert [k.is_revoked for k in store.list()] == [True, False]


def test_a_rate_must_be_in_the_limits_notation(tmp_path):
    from api.keys import KeyStoreError

    with pytest.raises(KeyStoreError, match="600/minute"):
        KeyStore(tmp_path / "keys.sqlite").create("x", rate="fast")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", "keys", *args], capture_output=True, text=True,
                          cwd=settings.PROJECT_ROOT, timeout=60)


def test_the_cli_shows_a_key_once_lists_without_it_and_revokes_by_name(make_client):
    created = run_cli("create", "--name", "cli-partner", "--rate", "30/minute")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("urk_")
    listed = run_cli("list")
    assert "cli-partner" in listed.stdout and "30/minute" in listed.stdout and secret not in listed.stdout
    api = make_client()
    assert api.get("/v1/artists", headers={"X-API-Key": secret}).headers["X-RateLimit-Limit"] == "30"
    assert run_cli("revoke", "cli-partner").returncode == 0
    assert api.get("/v1/artists", headers={"X-API-Key": secret}).status_code == 401
    again = run_cli("revoke", "cli-partner")
    assert again.returncode == 2 and "no active key named 'cli-partner'" in again.stderr


def test_the_key_never_appears_in_the_logs(make_client, key, caplog):
    caplog.set_level(logging.DEBUG)
    api = make_client()
    for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}, {"X-API-Key": key + "x"}):
        api.get("/v1/artists/art_alpha", headers=headers)
        api.get("/v1/artists/nobody", headers=headers)
        api.get("/v1/artists?limit=1000", headers=headers)
    assert caplog.records  # something was logged at all
    assert key.split("_", 2)[2] not in caplog.text
