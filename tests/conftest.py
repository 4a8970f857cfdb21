"""Shared fixtures: every test gets its own warehouse and never touches data/."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_warehouse(tmp_path, monkeypatch):
    """Point the one warehouse setting at a temporary file for the duration of a test."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("URATED_WAREHOUSE", str(path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return path
