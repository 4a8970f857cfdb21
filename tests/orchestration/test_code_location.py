"""The code location: loads, lists every expected asset, and explains itself in the UI."""

from __future__ import annotations

from functools import cache

import dagster as dg
import pytest

EXPECTED_RAW = {
    "raw/youtube/channels",
    "raw/spotify/artists",
    "raw/spotify/albums",
    "raw/spotify/tracks",
    "raw/instagram/accounts",
    "raw/viewstats/weekly",
    "raw/wayback/snapshots",
    "raw/youniverse/channels",
    "raw/youniverse/timeseries",
    "raw/socialblade/points",
    "raw/spotify_web/monthly_listeners",
}
EXPECTED_MARTS = {"marts/dim_artists", "marts/fct_metrics", "marts/fct_growth"}


@cache
def load() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def asset_specs() -> dict[str, dg.AssetSpec]:
    graph = load().resolve_asset_graph()
    return {key.to_user_string(): graph.get(key) for key in graph.get_all_asset_keys()}


def test_code_location_loads_through_the_workspace_module():
    assert isinstance(load(), dg.Definitions)


def test_every_raw_table_is_an_asset_keyed_like_the_warehouse():
    assert EXPECTED_RAW <= set(asset_specs())


def test_the_marts_analysts_query_are_assets():
    assert EXPECTED_MARTS <= set(asset_specs())


def test_every_asset_has_a_description_and_an_owner():
    graph = load().resolve_asset_graph()
    undescribed = [k.to_user_string() for k in graph.materializable_asset_keys
                   if not (graph.get(k).description or "").strip()]
    unowned = [k.to_user_string() for k in graph.materializable_asset_keys if not graph.get(k).owners]
    assert undescribed == []
    assert unowned == []


def test_every_asset_that_writes_the_warehouse_is_in_the_duckdb_pool():
    repo = load().get_repository_def()
    outside = [
        ad.node_def.name for ad in repo.assets_defs_by_key.values()
        if ad.is_executable and ad.node_def.pool != "duckdb"
    ]
    assert outside == []


def test_dbt_tests_surface_as_asset_checks_on_grain_keys():
    graph = load().resolve_asset_graph()
    checks = {c.asset_key.to_user_string() for c in graph.asset_check_keys}
    assert EXPECTED_MARTS <= checks


@pytest.mark.parametrize("name", ["daily_collection_schedule", "weekly_history_schedule"])
def test_schedules_are_on_by_default(name):
    schedule = load().get_schedule_def(name)
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_collection_jobs_cover_every_raw_asset():
    graph = load().resolve_asset_graph()
    daily = dg.AssetSelection.tag("cadence", "daily").resolve(graph)
    weekly = dg.AssetSelection.tag("cadence", "weekly").resolve(graph)
    raw = {k for k in graph.materializable_asset_keys if k.path[0] == "raw"}
    assert raw == daily | weekly
