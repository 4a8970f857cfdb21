"""`make bench-quick` at an even smaller scale: every phase runs and reports measured figures.

Why one end-to-end test: the benchmark's value is that its phases chain (world ->
load -> full build -> incremental -> anomalies -> baseline) on a real warehouse;
a phase that silently stopped measuring would make every later figure a lie.
Most of its time is dbt's fixed cost (three dbt invocations), not the data.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.report import GOALS
from urated import settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory) -> dict:
    """One tiny benchmark run (300 channels, 2 years) on both storage targets, its results.json."""
    folder = tmp_path_factory.mktemp("bench")
    results = folder / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--channels", "300", "--weeks", "104",
         "--workdir", str(folder / "work"), "--results", str(results)],
        cwd=settings.PROJECT_ROOT, capture_output=True, text=True, timeout=1200, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return json.loads(results.read_text()) | {"printed": completed.stdout}


def test_every_phase_runs_on_both_targets_with_its_own_positive_time_and_memory(quick_results):
    # Each phase is a separate process: a zero or missing figure means it was not measured.
    runs = quick_results["targets"]
    assert set(runs) == {"file", "ducklake"}
    assert set(runs["file"]["phases"]) == {"generate", "load", "build", "publish", "tests", "incremental",
                                           "anomalies", "baseline"}
    assert set(runs["ducklake"]["phases"]) == {"load", "build", "publish", "tests", "incremental", "anomalies"}
    for target, run in runs.items():
        for name, phase in run["phases"].items():
            assert phase["ok"], (target, name, phase.get("error"))
            assert phase["seconds"] > 0, (target, name)
            assert phase["peak_rss_bytes"] > 50 * 2**20, (target, name)  # at least the interpreter itself


def test_loaded_rows_are_the_generated_history_rows_and_the_new_week_lands_in_full(quick_results):
    scale = quick_results["scale"]
    assert 0 < scale["history_rows"] <= scale["channels"] * 104 + 20  # a few injected duplicates
    for run in quick_results["targets"].values():
        phases = run["phases"]
        # The loader drops the writer's injected duplicates and shifted lines, nothing else.
        assert scale["history_rows"] - 10 <= phases["load"]["row_counts"]["timeseries"] <= scale["history_rows"]
        assert phases["incremental"]["append_rows"] >= scale["new_week_rows"] - 10
        assert run["summary"]["load_rows_per_second"] > 0


def test_summary_figures_are_derived_from_the_phases_of_this_run(quick_results):
    for run in quick_results["targets"].values():
        summary, phases = run["summary"], run["phases"]
        assert summary["build_seconds"] == phases["build"]["seconds"]
        # dbt against dbt: the incremental dbt run over the full dbt run (appending the week is a load).
        assert summary["incremental_share"] == pytest.approx(
            phases["incremental"]["dbt_seconds"] / phases["build"]["seconds"], abs=1e-4)
        assert summary["peak_rss_bytes"] == max(p["peak_rss_bytes"] for n, p in phases.items() if n != "generate")
        assert set(run["met"]) <= set(quick_results["goals"])


def test_the_file_pays_a_copy_to_publish_and_the_lake_pays_none(quick_results):
    file, lake = (quick_results["targets"][t]["summary"] for t in ("file", "ducklake"))
    assert file["publish_bytes"] > 0 and lake["publish_bytes"] == 0
    assert file["bytes_on_disk"] > 0 and lake["bytes_on_disk"] > 0


def test_the_lake_is_compared_with_the_file_figure_by_figure(quick_results):
    ratios = quick_results["lake_over_file"]
    file, lake = (quick_results["targets"][t]["summary"] for t in ("file", "ducklake"))
    assert ratios["build_seconds"] == pytest.approx(lake["build_seconds"] / file["build_seconds"], rel=1e-3)
    build = next(goal for goal in GOALS if goal.key == "build_seconds")
    assert f"| {build.label} |" in quick_results["printed"]
    assert "ducklake / file" in quick_results["printed"]


def test_pandas_race_gives_every_row_of_the_growth_mart_and_both_sides_are_timed(quick_results):
    race = quick_results["targets"]["file"]["phases"]["baseline"]
    assert race["ours_rows"] > 1000 and race["pandas_rows"] == race["ours_rows"]
    # Every row and every column, both ways: no row on one side only.
    assert race["equality"]["columns_missing_in_ours"] == [] and race["equality"]["columns_only_in_ours"] == []
    assert race["equality"]["mismatches"] == 0 and race["equality"]["equal"] is True
    assert race["incremental_equals_full"]["equal"] is True
    assert race["new_week_points"] > 0
    assert race["pandas_seconds"] > 0 and race["full"]["model_seconds"] > 0 and race["weekly"]["model_seconds"] > 0
    # The report rounds seconds and the ratio separately: compare at the precision it records.
    assert race["full_speedup"] == pytest.approx(race["pandas_seconds"] / race["full"]["model_seconds"], rel=0.05)
    assert race["weekly_speedup"] == pytest.approx(race["pandas_seconds"] / race["weekly"]["model_seconds"], rel=0.05)


def test_every_dbt_model_of_the_refresh_has_its_own_time_and_dbts_cost_apart(quick_results):
    for run in quick_results["targets"].values():
        models = [n for n in run["phases"]["incremental"]["dbt_nodes"] if n["kind"] == "model"]
        assert models
        for node in models:
            assert 0 <= node["own_sql_seconds"] <= node["sql_seconds"]
            assert "dbt_overhead_seconds" in node
        assert run["summary"]["incremental_models_share"] > 0


def test_machine_and_duckdb_settings_are_recorded_and_printed(quick_results):
    assert quick_results["machine"]["cores"] >= 1 and quick_results["machine"]["memory_bytes"] > 0
    assert {"threads", "memory_limit", "temp_directory"} <= set(quick_results["duckdb"])
    assert f"{quick_results['machine']['cores']} cores" in quick_results["printed"]
