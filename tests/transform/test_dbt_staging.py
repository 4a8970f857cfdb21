"""Staging reads only completed dlt loads, and builds when sources or columns are missing."""

from __future__ import annotations

import duckdb
import pytest

from . import raw_fixture
from .dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds


def test_rows_of_an_unfinished_load_never_reach_staging(built):
    # The fixture wrote a status-1 load claiming alpha has 999 million subscribers.
    assert built.query("select count(*) from staging.stg_viewstats__weekly where subscribers = 999000000") == [(0,)]
    assert built.query("select count(*) from raw_viewstats.weekly where subscribers = 999000000") == [(1,)]


def test_instagram_usernames_are_case_insensitive(built):
    # Instagram treats Alpha.Music and alpha.music as one account; so must the join to the watchlist.
    assert built.query("select distinct instagram_username from staging.stg_instagram__accounts") == [("alpha.music",)]


def test_a_youtube_only_warehouse_with_a_column_dlt_never_created_still_builds(tmp_path):
    # A run of only the YouTube slice: seven raw datasets absent, and `country` never
    # created because dlt had only seen nulls. Every model must still build, typed.
    path = tmp_path / WAREHOUSE_FILE
    raw_fixture.write_watchlist(tmp_path / WATCHLIST_FILE)
    raw_fixture.build_raw_warehouse(path, datasets=("raw_youtube",))
    with duckdb.connect(str(path)) as con:
        con.execute("alter table raw_youtube.channels drop column country")

    build = run_dbt(["build", "--exclude", "resource_type:unit_test"], tmp_path)

    assert build.returncode == 0, build.output[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_releases").fetchone() == (0,)
        assert con.execute("select count(*) from marts.fct_metrics where source <> 'youtube_api'").fetchone() == (0,)
        assert con.execute("select count(*), count(country) from marts.dim_artists").fetchone() == (3, 0)
        assert con.execute(
            "select data_type from information_schema.columns where table_schema = 'staging' "
            "and table_name = 'stg_spotify__artists' and column_name = 'followers'").fetchone() == ("BIGINT",)


def test_a_warehouse_with_no_raw_data_at_all_builds_empty_marts(tmp_path):
    # The very first build, before any loader ran: every mart exists, empty, with its columns.
    raw_fixture.write_watchlist(tmp_path / WATCHLIST_FILE)

    run = run_dbt(["run"], tmp_path)

    assert run.returncode == 0, run.output[-3000:]
    with duckdb.connect(str(tmp_path / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_growth").fetchone() == (0,)
        assert con.execute("select count(*) from marts.fct_anomalies").fetchone() == (0,)
        # Watchlisted artists exist before any data does.
        assert con.execute("select count(*), count(*) filter (where status = 'inactive') from marts.dim_artists").fetchone() == (3, 3)
