"""`make demo` ends with what failed and why, in a few lines, whatever failed; never a traceback of its own."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.demo import failure_report, print_summary
from urated import warehouse

WATCHLIST_PROBLEM = "line 3: artist_id 'a1' repeats line 2"


@dg.asset(key=["raw", "youtube", "channels"])
def channels():
    try:
        raise ValueError(f"The watchlist artists.csv cannot be used (1 problem):\n  {WATCHLIST_PROBLEM}")
    except ValueError as exc:  # wrapped, as dlt wraps what a resource raises
        raise RuntimeError("Pipeline execution failed at stage extract") from exc


@dg.asset(key=["marts", "fct_growth"], deps=[channels])
def fct_growth():
    return None


@dg.asset(key=["marts", "dim_artists"])
def dim_artists():
    return None


@dg.asset_check(asset=dim_artists)
def unique_artist_id():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR, description="artist_id repeats",
                               metadata={"dagster_dbt/failed_row_count": 2})


@dg.asset_check(asset=dim_artists)
def few_countries():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)


@pytest.fixture(scope="module")
def failed_run():
    defs = dg.Definitions(assets=[channels, fct_growth, dim_artists], asset_checks=[unique_artist_id, few_countries])
    return defs.resolve_implicit_global_asset_job_def().execute_in_process(raise_on_error=False)


def test_a_failed_step_is_reported_with_the_error_at_its_root_not_the_wrappers(failed_run):
    report = failure_report(failed_run)
    assert report[0] == ("  step raw__youtube__channels failed: ValueError: The watchlist artists.csv cannot be used "
                         "(1 problem):"
                         f"\n      {WATCHLIST_PROBLEM}")


def test_assets_left_unbuilt_and_failed_checks_are_named_warnings_are_not(failed_run):
    assert failure_report(failed_run)[1:] == [
        "  not materialized (2): marts/fct_growth, raw/youtube/channels",
        "  check marts/dim_artists:unique_artist_id failed (2 failing rows): artist_id repeats",
    ]


def test_a_run_where_nothing_failed_reports_nothing():
    result = dg.Definitions(assets=[dim_artists]).resolve_implicit_global_asset_job_def().execute_in_process()
    assert failure_report(result) == []


def test_the_summary_of_a_warehouse_without_marts_names_what_was_not_built(failed_run, capsys):
    with warehouse.connect() as con:
        con.execute("create schema raw_youtube; create table raw_youtube.channels as select 1 as channel_id")
    print_summary(failed_run, 1.0)
    out = capsys.readouterr().out
    assert "raw_youtube.channels" in out
    assert "== Top growers == not built (marts.fct_growth, marts.dim_artists missing: see what failed)" in out
    assert "== What failed ==\n  step raw__youtube__channels failed: ValueError: The watchlist" in out


def test_the_summary_survives_a_run_that_never_created_the_warehouse(failed_run, capsys):
    print_summary(failed_run, 1.0)
    out = capsys.readouterr().out
    assert "== Tables == the warehouse could not be read:" in out
    assert "== What failed ==" in out


def test_steps_that_fail_for_the_same_reason_are_reported_once():
    @dg.asset
    def youtube():
        raise ValueError("the watchlist cannot be used")

    @dg.asset
    def spotify():
        raise ValueError("the watchlist cannot be used")

    result = (dg.Definitions(assets=[youtube, spotify]).resolve_implicit_global_asset_job_def()
              .execute_in_process(raise_on_error=False))
    assert failure_report(result)[0] == "  steps spotify, youtube failed: ValueError: the watchlist cannot be used"
