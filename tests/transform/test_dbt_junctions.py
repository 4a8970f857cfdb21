"""junction_report applies the enrichment spec's rules per channel and says why."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds


def test_a_healthy_channel_passes_every_junction(built):
    # YouNiverse's last Monday (2019-09-23) describes Sunday 09-22: a week before Social Blade's first point.
    rows = built.query("select junction, gap_days, passed from marts.junction_report "
                       "where artist_id = 'art_alpha' order by junction_order")
    assert rows == [("youniverse_socialblade", 7, True), ("socialblade_viewstats", 7, True), ("viewstats_api", 1, True)]


def test_a_six_week_hole_and_a_broken_split_fail_with_both_reasons(built):
    # A failing junction must say every rule it broke, with the measure.
    rows = built.query("select older_last_at, newer_first_at, gap_days, split_diff_pct, passed, reason "
                       "from marts.junction_report where artist_id = 'art_gamma' and junction = 'socialblade_viewstats'")
    assert rows == [(date(2022, 7, 10), date(2022, 8, 21), 42, 20.0, False,
                     "gap 42 days > 14; longform + shorts 20.0 % off total views > 5")]


def test_a_rounding_step_at_the_api_junction_is_not_growth(built):
    # ViewStats' Sunday and the API's Monday round to the same or the next 3-significant-figure step.
    rows = built.query("select subscribers_daily_growth_pct from marts.junction_report "
                       "where junction = 'viewstats_api' and artist_id in ('art_alpha', 'art_beta')")
    assert rows == [(0.0,), (0.0,)]


def test_an_unlisted_channel_has_no_junction_to_judge(built):
    # Newer sources are collected for the watchlist only: a YouNiverse-only channel never hands over.
    rows = built.query("select count(*) from marts.junction_report where artist_id = 'yt_UCdelta'")
    assert rows == [(0,)]


def test_a_junction_broken_for_most_channels_blocks_the_marts_built_on_the_series(tmp_path):
    # Social Blade reporting in the wrong unit for everyone is systemic: fct_growth must not be rebuilt on it.
    import duckdb

    from . import raw_fixture
    from .dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt, target_dir

    raw_fixture.write_watchlist(tmp_path / WATCHLIST_FILE)
    raw_fixture.build_raw_warehouse(tmp_path / WAREHOUSE_FILE)
    with duckdb.connect(str(tmp_path / WAREHOUSE_FILE)) as con:
        con.execute("update raw_socialblade.points set value = value * 100")

    run = run_dbt(["build"], tmp_path)

    by_name = {uid.split(".")[2]: status for uid, status in run.results.items()}  # test ids end in a hash
    assert by_name["junctions_hold_for_most_channels"] == "fail"
    assert by_name["fct_growth"] == "skipped"
    assert by_name["fct_metrics"] == "skipped"
    assert by_name["junction_report"] == "success"
    # The one systemic test covers every junction; its failing rows name the broken ones: both
    # hand-overs Social Blade takes part in, for all three channels, and not the API's.
    compiled = next(target_dir(tmp_path).glob("compiled/**/junctions_hold_for_most_channels.sql")).read_text()
    with duckdb.connect(str(tmp_path / WAREHOUSE_FILE), read_only=True) as con:
        assert sorted(con.execute(compiled).fetchall()) == [("socialblade_viewstats", 3, 3), ("youniverse_socialblade", 3, 3)]

