"""A team moves its file warehouse to the lake: raw history copied, marts rebuilt, the same marts."""

from __future__ import annotations

import pytest

from urated import storage
from urated.migrate import migrate

from ..transform import raw_fixture
from .test_concurrency import dbt_build

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def mart_counts(target: storage.Target) -> dict[str, int]:
    con = target.connect(read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = "
                                            "current_database() and schema_name = 'marts' order by 1").fetchall()]
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_a_migrated_lake_rebuilds_the_same_marts_as_the_file(tmp_path):
    raw_fixture.write_watchlist(tmp_path / "artists.csv")
    file = storage.parse_target(str(tmp_path / "warehouse.duckdb"))
    raw_fixture.build_raw_warehouse(file)
    dbt_build(file, tmp_path)
    lake = storage.parse_target(f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}",
                                data_path=str(tmp_path / "lake" / "files"))

    copied = migrate(file.path, lake)

    assert "raw_youtube.channels" in copied and "raw_youtube._dlt_loads" in copied
    assert not any(t.startswith(("staging.", "marts.")) for t in copied)
    dbt_build(lake, tmp_path)
    assert mart_counts(lake) == mart_counts(file) and mart_counts(file)


def test_migrating_into_a_target_that_holds_the_same_schemas_is_refused(tmp_path):
    file = storage.parse_target(str(tmp_path / "warehouse.duckdb"))
    raw_fixture.build_raw_warehouse(file)
    lake = storage.parse_target(f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}",
                                data_path=str(tmp_path / "lake" / "files"))
    migrate(file.path, lake)
    with pytest.raises(RuntimeError, match="already holds raw_"):
        migrate(file.path, lake)
