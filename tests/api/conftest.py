"""One published fixture warehouse for every API test, built once per session (see api_support)."""

from __future__ import annotations

import shutil

import pytest

from urated import settings, warehouse

from ..transform.dbt_cli import WAREHOUSE_FILE
from .api_support import GENEROUS_RATE, ApiWorld, build_published_world


@pytest.fixture(scope="session")
def api_world(tmp_path_factory) -> ApiWorld:
    return build_published_world(tmp_path_factory.mktemp("api_world"))


@pytest.fixture(autouse=True)
def isolated_warehouse(api_world, monkeypatch, tmp_path):
    """Every API test reads the session's published world (this overrides the suite-wide fixture)."""
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(api_world.warehouse))
    monkeypatch.delenv(settings.API_KEYS_VAR, raising=False)
    monkeypatch.delenv(settings.API_CACHE_VAR, raising=False)
    monkeypatch.delenv(settings.API_ANONYMOUS_RATE_VAR, raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return api_world.warehouse


@pytest.fixture
def private_world(api_world, tmp_path, monkeypatch) -> ApiWorld:
    """A copy of the session warehouse a test may change and republish without disturbing others."""
    shutil.copy(api_world.warehouse, tmp_path / WAREHOUSE_FILE)
    monkeypatch.setenv(settings.WAREHOUSE_VAR, str(tmp_path / WAREHOUSE_FILE))
    warehouse.publish()
    return ApiWorld(folder=tmp_path, warehouse=tmp_path / WAREHOUSE_FILE, world=api_world.world)


@pytest.fixture
def make_client():
    """A TestClient on a fresh app (its own cache, limiter and connections)."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    clients = []

    def make(**app_options) -> TestClient:
        client = TestClient(create_app(**app_options), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def key() -> str:
    from api.keys import KeyStore

    _, secret = KeyStore().rotate("tests", GENEROUS_RATE)
    return secret


@pytest.fixture
def client(make_client, key):
    """A client whose requests carry a valid key with a rate no test reaches."""
    api = make_client()
    api.headers["X-API-Key"] = key
    return api


