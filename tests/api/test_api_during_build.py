"""Readers never wait for a writer: the served API answers every request while a dbt build writes,
and serves the build's data as soon as it is published, without a restart."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from api.keys import KeyStore
from urated import settings, warehouse

from ..transform import raw_fixture
from ..transform.dbt_cli import WATCHLIST_FILE, run_dbt
from .api_support import start_live_server, stop_live_server

pytestmark = pytest.mark.slow

ROUTES = ["/v1/artists", "/v1/artists/art_alpha", "/v1/artists/art_alpha/metrics?platform=youtube",
          "/v1/artists/top?platform=youtube&metric=subscribers&period=7d", "/v1/anomalies", "/v1/health"]


def test_the_api_answers_without_errors_while_dbt_builds_and_then_serves_the_new_build(private_world):
    raw_fixture.write_watchlist(private_world.folder / WATCHLIST_FILE)
    raw_fixture.add_late_load(private_world.warehouse)  # one more API day: the build will change the marts
    _, key = KeyStore().create("reader", rate="1000000/minute")
    server = start_live_server(private_world.folder, {settings.API_ANONYMOUS_RATE_VAR: "1000000/minute"})  # health is keyless
    statuses: list[int] = []
    build: list = []
    try:
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=30) as api:
            before = api.get("/v1/artists/art_alpha")
            writer = threading.Thread(target=lambda: build.append(run_dbt(["build"], private_world.folder)))
            writer.start()
            while writer.is_alive():
                for route in ROUTES:
                    statuses.append(api.get(route).status_code)
                time.sleep(0.02)  # steady readers, not a load test: leave the cores to dbt
            writer.join()
            assert build[0].returncode == 0, build[0].output[-3000:]
            unchanged = api.get("/v1/artists/art_alpha")  # built but not published: still the old data
            time.sleep(0.01)
            warehouse.publish()
            after = api.get("/v1/artists/art_alpha")
    finally:
        stop_live_server(server)
    assert len(statuses) >= 30 and set(statuses) == {200}
    assert unchanged.headers["ETag"] == before.headers["ETag"]
    assert after.headers["ETag"] != before.headers["ETag"]
    ((last_seen,),) = private_world.sql("select last_seen_at from marts.dim_artists where artist_id = 'art_alpha'")
    assert after.json()["last_seen_at"] == str(last_seen) != before.json()["last_seen_at"]
