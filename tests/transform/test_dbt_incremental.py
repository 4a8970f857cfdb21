"""An incremental run gives exactly what a full refresh gives."""

from __future__ import annotations

import shutil
from datetime import timedelta

import duckdb
import pytest

from . import raw_fixture
from .dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds

GROWTH = "select * exclude (loaded_at) from marts.fct_growth where not ({marker}) order by all"
# A 2019 row no late data touches: marked before the incremental run, it proves that run
# left untouched dates alone instead of quietly rebuilding everything.
MARKER = "artist_id = 'yt_UCdelta' and metric = 'views' and period = '7d' and as_of = date '2019-03-03'"


def test_incremental_growth_after_a_late_load_equals_a_full_refresh(built, tmp_path):
    # A second load adds a new API day and back-fills a ViewStats week alpha was missing,
    # changing weeks in the middle of history, not only at the end.
    path = tmp_path / WAREHOUSE_FILE
    shutil.copy(built.path, path)
    shutil.copy(built.folder / WATCHLIST_FILE, tmp_path / WATCHLIST_FILE)
    raw_fixture.add_late_load(path)
    with duckdb.connect(str(path)) as con:
        con.execute(f"update marts.fct_growth set source_start = 'untouched' where {MARKER}")

    incremental = run_dbt(["run", "--exclude", "fct_anomalies"], tmp_path)
    assert incremental.returncode == 0, incremental.output[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        after_incremental = con.execute(GROWTH.format(marker=MARKER)).fetchall()
        untouched = con.execute(f"select source_start from marts.fct_growth where {MARKER}").fetchall()
        filled = con.execute("select is_interpolated from marts.fct_growth where artist_id = 'art_alpha' "
                             "and metric = 'views' and period = '7d' and as_of = date '2024-05-12'").fetchall()
        new_day = con.execute("select count(*) from marts.fct_growth where as_of = date '2026-11-16'").fetchone()

    full = run_dbt(["run", "--full-refresh", "--select", "fct_growth"], tmp_path)
    assert full.returncode == 0, full.output[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        after_full = con.execute(GROWTH.format(marker=MARKER)).fetchall()

    assert untouched == [("untouched",)]
    assert filled == [(False,)]  # the back-filled week is real now, so its window is too
    assert new_day[0] > 0
    assert after_incremental == after_full


# Every incremental table of the weekly chain, compared whole (the watermark column aside).
INCREMENTAL_TABLES = {
    "intermediate.int_metrics__weekly_ranked": "select * exclude (loaded_at) from {t} order by all",
    "intermediate.int_metrics__source_spans": "select * exclude (loaded_at) from {t} order by all",
    "intermediate.int_youniverse__subscriber_drops": "select * exclude (loaded_at) from {t} order by all",
    "marts.fct_metrics": "select * exclude (loaded_at) from {t} order by all",
    "marts.fct_latest_metrics": "select * exclude (loaded_at) from {t} order by all",
    "marts.fct_growth_latest": "select * exclude (loaded_at) from {t} order by all",
    # rebuilt whole from fct_growth_latest, so it follows it
    "marts.fct_growth_leaders": "select * from {t} order by all",
}


def test_incremental_weekly_chain_after_a_late_load_equals_a_full_refresh(built, tmp_path):
    # The late load both appends (a new API day) and back-fills history (a ViewStats week),
    # so spans take both paths: extended, and recomputed.
    path = tmp_path / WAREHOUSE_FILE
    shutil.copy(built.path, path)
    shutil.copy(built.folder / WATCHLIST_FILE, tmp_path / WATCHLIST_FILE)
    raw_fixture.add_late_load(path)

    incremental = run_dbt(["run", "--exclude", "fct_anomalies"], tmp_path)
    assert incremental.returncode == 0, incremental.output[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        after_incremental = {t: con.execute(q.format(t=t)).fetchall() for t, q in INCREMENTAL_TABLES.items()}

    full = run_dbt(["run", "--full-refresh", "--exclude", "fct_anomalies"], tmp_path)
    assert full.returncode == 0, full.output[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        after_full = {t: con.execute(q.format(t=t)).fetchall() for t, q in INCREMENTAL_TABLES.items()}

    for table in INCREMENTAL_TABLES:
        assert after_incremental[table], table
        assert after_incremental[table] == after_full[table], table


DROPS = "select * exclude (loaded_at) from intermediate.int_youniverse__subscriber_drops order by all"
DELTA_DROPS = "select suspicious_drops from intermediate.int_youniverse__subscriber_drops where account_id = 'UCdelta'"


def _youniverse_week(path, monday, subs: float, load_id: str) -> None:
    """One more YouNiverse row of UCdelta (the channel no other source measures) as its own completed load."""
    world = raw_fixture.RawWorld()
    world.add("raw_youniverse.timeseries", {
        "channel_id": "UCdelta", "observed_on": monday, "category": "Gaming", "views": 1e6, "delta_views": 0.0,
        "subs": subs, "delta_subs": 0.0, "videos": 10.0, "delta_videos": 0.0, "activity": 1.0})
    raw_fixture.write_world(path, world, load_id, datasets=("raw_youniverse",))


def test_youniverse_drops_extended_by_a_new_week_and_recounted_after_a_back_fill_equal_a_full_refresh(
        built, tmp_path):
    path = tmp_path / WAREHOUSE_FILE
    shutil.copy(built.path, path)
    shutil.copy(built.folder / WATCHLIST_FILE, tmp_path / WATCHLIST_FILE)
    with duckdb.connect(str(path), read_only=True) as con:
        [(before,)] = con.execute(DELTA_DROPS).fetchall()
        [(last_subs,)] = con.execute("select subs from raw_youniverse.timeseries where channel_id = 'UCdelta' "
                                     f"and observed_on = date '{raw_fixture.YOUNIVERSE_END}'").fetchall()

    # A week after the last, half the subscribers: the count is extended by one drop.
    _youniverse_week(path, raw_fixture.YOUNIVERSE_END + timedelta(days=7), last_subs / 2, "1763400000.000004")
    assert run_dbt(["run", "--select", "+source_coverage"], tmp_path).returncode == 0
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute(DELTA_DROPS).fetchall() == [(before + 1,)]
        assert con.execute("select suspicious_drops from marts.source_coverage "
                           "where artist_id = 'yt_UCdelta' and source = 'youniverse'").fetchall() == [(before + 1,)]

    # A week before the first, with ten times today's subscribers: the channel is recounted (one more drop).
    first_monday = raw_fixture.HISTORY_START + timedelta(days=1)
    _youniverse_week(path, first_monday - timedelta(days=7), last_subs * 10, "1763500000.000005")
    assert run_dbt(["run", "--select", "+source_coverage"], tmp_path).returncode == 0
    with duckdb.connect(str(path), read_only=True) as con:
        after_incremental = con.execute(DROPS).fetchall()
        assert con.execute(DELTA_DROPS).fetchall() == [(before + 2,)]

    full = run_dbt(["run", "--full-refresh", "--select", "int_youniverse__subscriber_drops"], tmp_path)
    assert full.returncode == 0, full.output[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute(DROPS).fetchall() == after_incremental
