"""Fixtures for the sandbox specs: a fixed-day world and one running server per module.

The day is pinned so every assertion about weeks and eras is reproducible.
"""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from sandbox.server import start_sandbox
from sandbox.world import build_world

from ..fixtures import realdata as realdata_path

TODAY = date(2026, 11, 21)  # a Saturday: the last full week ends Sunday 2026-11-15


@pytest.fixture(scope="session")
def world():
    return build_world(42, 300, TODAY)


@pytest.fixture(scope="session")
def big_world():
    """Large enough for shares (~5 %, ~3 %) to be measured, still under a second."""
    return build_world(7, 3000, TODAY)


@pytest.fixture(scope="module")
def sandbox(world):
    with start_sandbox(world=world) as handle:
        yield handle


@pytest.fixture
def client(sandbox):
    """A client on a freshly reset sandbox, so faults and quota never leak between tests."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as c:
        c.post("/_sandbox/reset")
        yield c
        c.post("/_sandbox/reset")


def _load(relative: str):
    path = realdata_path(relative)
    return json.loads(path.read_text()) if path.suffix == ".json" else path.read_text()


@pytest.fixture
def realdata():
    """Loads a recorded real response from tests/fixtures/realdata (JSON decoded, anything else as text)."""
    return _load
