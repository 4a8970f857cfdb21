"""Shared fixtures: every test gets its own warehouse and never touches data/."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def dbt_manifest():
    """The dbt manifest the code location loads, prepared once per session from the project as it is now
    (dagster-dbt's preparer, as `make demo` and deployments run it): never a stale one from an earlier checkout."""
    from orchestration.dbt_project import prepare

    return prepare()


@pytest.fixture(autouse=True)
def isolated_warehouse(tmp_path, monkeypatch):
    """Point the one warehouse setting at a temporary file for the duration of a test."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("URATED_WAREHOUSE", str(path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return path


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (skipped, saying why, where PostgreSQL is not installed)."""
    from tests.postgres_server import find_binaries, running_server

    if find_binaries() is None:
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql; .ci/run does it)")
    with running_server() as server:
        yield server


@pytest.fixture
def postgres_catalog(postgres_server, request, monkeypatch, tmp_path):
    """A fresh database on the session's server, as a DuckLake catalog the warehouse setting names."""
    server, bin_dir = postgres_server
    name = "lake_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:40]
    conninfo = server.create_database(name, bin_dir)
    monkeypatch.setenv("URATED_WAREHOUSE", f"ducklake:postgres:{conninfo}")
    monkeypatch.setenv("URATED_LAKE_DATA_PATH", str(tmp_path / "lake_files"))
    return conninfo
