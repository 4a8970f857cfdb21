"""Fixture pages saved under pages/ (see make_fixture_pages.py), read by name, and the series they were rendered from."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"

# Tests run with --import-mode=importlib (no sys.path entry for this folder), so
# the series module shared with make_fixture_pages.py is loaded by path.
_spec = importlib.util.spec_from_file_location("scraper_fixture_series", HERE / "scraper_fixture_series.py")
fixture_series = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture_series)


@pytest.fixture
def page():
    def read(name: str) -> str:
        return (PAGES / name).read_text(encoding="utf-8")

    return read


@pytest.fixture
def rendered_truth() -> set[tuple[str, dt.date, int]]:
    """(metric, day, value) of every point the rendered fixture pages show."""
    return {(m, d, v) for m, series in fixture_series.fixture_points().items() for d, v in series}
