"""The code location: loads, lists every expected asset, and explains itself in the UI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import dagster as dg
import pytest

from urated.settings import PROJECT_ROOT, SERVICES, WATCHLIST_VAR

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


@pytest.mark.slow
def test_the_workspace_file_loads_the_code_location_without_a_watchlist_or_credentials(tmp_path):
    """`make ui` loads workspace.yaml; a fresh clone has no watchlist and no credentials yet."""
    bin_dir = str(Path(sys.executable).parent)
    unset = {WATCHLIST_VAR, *(v for s in SERVICES.values() for v in s.credential_vars), "INSTAGRAM_USER_ID"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DAGSTER_HOME=str(tmp_path), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    completed = subprocess.run([str(Path(bin_dir) / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
                               cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Validation successful for code location urated" in completed.stderr + completed.stdout


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


def dbt_model_tests() -> set[tuple[str, str]]:
    """(model, test name) of every dbt data test attached to a model, from the manifest."""
    from orchestration.dbt_project import manifest

    nodes = json.loads(manifest().read_text())["nodes"]
    return {(nodes[t["attached_node"]]["name"], t["name"]) for t in nodes.values()
            if t["resource_type"] == "test" and (t.get("attached_node") or "").startswith("model.")}


def test_every_dbt_test_is_an_asset_check_on_the_model_it_tests():
    graph = load().resolve_asset_graph()
    checks = {(c.asset_key.path[-1], c.name) for c in graph.asset_check_keys if c.asset_key.path[0] != "raw"}
    assert dbt_model_tests() - checks == set()


@pytest.mark.parametrize("mart", sorted(EXPECTED_MARTS))
def test_each_analysts_mart_has_a_uniqueness_check_on_its_grain(mart):
    graph = load().resolve_asset_graph()
    names = {c.name for c in graph.asset_check_keys if c.asset_key.to_user_string() == mart}
    assert any(n.startswith(("unique_", "unique_combination_")) for n in names), names


def test_the_social_blade_pages_are_chosen_from_the_wayback_listing():
    """Phase 2A feeds phase 2B: the graph shows raw/wayback/snapshots → raw/socialblade/points."""
    graph = load().resolve_asset_graph()
    points = graph.get(dg.AssetKey(["raw", "socialblade", "points"]))
    assert dg.AssetKey(["raw", "wayback", "snapshots"]) in points.parent_keys


@pytest.mark.parametrize(("name", "cadence"), [("daily_collection_schedule", "daily"),
                                                ("weekly_history_schedule", "weekly")])
def test_schedules_are_on_by_default_and_collect_every_raw_asset_of_their_cadence(name, cadence):
    schedule = load().resolve_schedule_def(name)
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    graph = load().resolve_asset_graph()
    of_cadence = {k for k in graph.materializable_asset_keys
                  if k.path[0] == "raw" and graph.get(k).tags.get("cadence") == cadence}
    job = load().resolve_job_def(schedule.job_name)
    assert of_cadence and set(job.asset_layer.selected_asset_keys) == of_cadence


def test_collection_jobs_cover_every_raw_asset():
    graph = load().resolve_asset_graph()
    daily = dg.AssetSelection.tag("cadence", "daily").resolve(graph)
    weekly = dg.AssetSelection.tag("cadence", "weekly").resolve(graph)
    raw = {k for k in graph.materializable_asset_keys if k.path[0] == "raw"}
    assert raw == daily | weekly
