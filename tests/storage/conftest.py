"""Both storage targets, each in a temporary folder: the file and a DuckLake on a SQLite catalog."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["file", "ducklake"])
def any_target(request, tmp_path, monkeypatch):
    """The warehouse setting pointed at a fresh target of each kind; yields the target."""
    from urated import storage

    if request.param == "file":
        monkeypatch.setenv("URATED_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    else:
        monkeypatch.setenv("URATED_WAREHOUSE", f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}")
        monkeypatch.setenv("URATED_LAKE_DATA_PATH", str(tmp_path / "lake" / "files"))
    return storage.target()
