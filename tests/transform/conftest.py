"""Shared, session-scoped builds: one dbt build of the fixture warehouse serves every
test that only reads marts, keeping the folder well under a minute."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from . import raw_fixture
from .dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt


class BuiltWarehouse:
    def __init__(self, folder: Path, world: raw_fixture.RawWorld, build):
        self.folder, self.world, self.build = folder, world, build
        self.path = folder / WAREHOUSE_FILE

    def query(self, sql: str, params=None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuiltWarehouse:
    folder = tmp_path_factory.mktemp("fixture_warehouse")
    raw_fixture.write_watchlist(folder / WATCHLIST_FILE)
    world = raw_fixture.build_raw_warehouse(folder / WAREHOUSE_FILE)
    build = run_dbt(["build"], folder)
    return BuiltWarehouse(folder, world, build)
