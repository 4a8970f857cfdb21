"""Fixtures of the ingestion tests: a sandbox per session, a warehouse and dlt state per test.

Every test that writes gets its own DuckDB file and dlt ``pipelines_dir`` under
``tmp_path`` so resumption state never leaks from one test into another, and
recognisable fake credentials so leaks can be grepped for.
"""

from __future__ import annotations

from typing import Any, Callable

import httpx
import pytest

from ingestion.http import FakeClock
from ingestion.pipeline import make_pipeline

from .ingest_support import FAKE_SECRETS

# Big enough for three YouTube batches (resumption needs more than the quota
# lets through), small enough that every source runs in about a second.
TEST_WORLD_ARTISTS = 130


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """A sandbox over a small world, with that world's watchlist written next to it."""
    from sandbox.server import start_sandbox
    from sandbox.world import build_world, write_watchlist

    world = build_world(n_artists=TEST_WORLD_ARTISTS)
    with start_sandbox(world=world) as handle:
        handle.watchlist = write_watchlist(world, tmp_path_factory.mktemp("watchlist") / "artists.csv")
        yield handle


@pytest.fixture
def sb(sandbox, monkeypatch, tmp_path):
    """The sandbox, reset, with the environment pointing every service, the watchlist and the warehouse at it."""
    httpx.post(sandbox.base_url + "/_sandbox/reset").raise_for_status()
    monkeypatch.setenv("URATED_ARTISTS", str(sandbox.watchlist))
    for name, value in sandbox.env().items():
        monkeypatch.setenv(name, value)
    for name, value in FAKE_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("URATED_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    return sandbox


@pytest.fixture
def run(tmp_path) -> Callable[..., Any]:
    """Run a dlt source into the temporary warehouse; the same name reuses the same state."""

    def _run(source_name: str, source: Any, pipeline_name: str = "test") -> Any:
        pipeline = make_pipeline(source_name, pipelines_dir=tmp_path / "dlt", pipeline_name=pipeline_name)
        pipeline.run(source)
        return pipeline

    return _run


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
