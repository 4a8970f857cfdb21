"""Fixture pages saved under pages/ (see make_fixture_pages.py), read by name, and the series they were rendered from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from . import scraper_fixture_series as fixture_series

PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture
def page():
    def read(name: str) -> str:
        return (PAGES / name).read_text(encoding="utf-8")

    return read


@pytest.fixture
def rendered_truth() -> set[tuple[str, dt.date, int]]:
    """(metric, day, value) of every point the rendered fixture pages show."""
    return {(m, d, v) for m, series in fixture_series.fixture_points().items() for d, v in series}
