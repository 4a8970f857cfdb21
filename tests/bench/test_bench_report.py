"""The README's benchmark status is rendered from results.json, by command, for every goal of the issue.

Why: a status typed by hand drifts from the figures it claims. The fixture is a
results.json the harness itself assembles (its dbt timing parser on dbt's own
files, the race's verdicts, build_results), so the test follows the harness's
structures rather than a copy of them; no benchmark runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report
from bench.baseline import COLUMNS, equality, incremental_equality, race_result
from bench.config import BenchConfig
from bench.dbt_cli import DBT_LOG, invocation_seconds, node_timings
from bench.report import GOALS, README_END, README_START

MODELS = ("stg_youniverse__timeseries", "int_metrics__source_spans", "fct_growth", "source_coverage")


def _dbt_phase(config: BenchConfig, phase: str, scale: float) -> dict:
    """What dbt leaves in a phase's target folder (run_results.json, its JSON log), read by the harness."""
    target = config.dbt_target(phase)
    (target / "logs").mkdir(parents=True)
    results, log = [], []
    for position, model in enumerate(MODELS, start=1):
        unique_id = f"model.urated.{model}"
        own = scale * position
        results.append({"unique_id": unique_id, "status": "success", "execution_time": own + 0.2})
        for sql, elapsed in ((f"create table {model} as select 1", own), ("BEGIN", 0.01),
                             (f"comment on table {model} is 'docs'", 0.01)):
            node_info = {"unique_id": unique_id}
            log.append({"info": {"name": "SQLQuery", "thread": "Thread-1"}, "data": {"sql": sql, "node_info": node_info}})
            log.append({"info": {"name": "SQLQueryStatus", "thread": "Thread-1"},
                        "data": {"elapsed": elapsed, "node_info": node_info}})
    elapsed = sum(r["execution_time"] for r in results)
    (target / "run_results.json").write_text(json.dumps({"results": results, "elapsed_time": elapsed}))
    (target / "logs" / DBT_LOG).write_text("\n".join(json.dumps(e) for e in log))
    return {"ok": True, "seconds": round(elapsed + 3.0, 3), "peak_rss_bytes": int(scale * 2**30),
            "dbt_nodes": node_timings(config, phase), "dbt_elapsed_seconds": invocation_seconds(config, phase)}


def _race(config: BenchConfig, mismatched_rows: int) -> dict:
    rows = 1000
    compared = {"pandas_rows": rows, "ours_rows": rows, "as_of_first": "2025-11-16", "as_of_last": "2026-11-15",
                "as_of_dates": 53, "periods": ["30d", "365d", "7d", "90d"],
                "equality": equality(list(COLUMNS), rows, rows, mismatched_rows, mismatched_rows),
                "incremental_equals_full": incremental_equality(0, 0, 0)}
    subset = {"channels": 10, "input_points": 5000}
    record = race_result(config, subset, compared, pandas_seconds=2.0,
                         full={"model_seconds": 4.0, "sql_seconds": 3.5, "dbt_wall_seconds": 9.0},
                         weekly={"model_seconds": 0.5, "sql_seconds": 0.1, "dbt_wall_seconds": 6.0})
    return {"ok": True, "seconds": 30.0, "peak_rss_bytes": 2**29, **record}


def _results(tmp_path: Path, mismatched_rows: int = 0) -> dict:
    """Both storage targets' phases as the runner records them; the race on the first only."""
    runs = {}
    for position, target in enumerate(("file", "ducklake")):
        config = BenchConfig(channels=300, weeks=104, workdir=str(tmp_path / "work")).for_target(target)
        build = _dbt_phase(config, "build", scale=1.0 + position)
        incremental = _dbt_phase(config, "incremental", scale=0.1 + position)
        incremental |= {"dbt_seconds": incremental["seconds"], "append_seconds": 0.5}
        phases = {
            "load": {"ok": True, "seconds": 8.0 + position, "peak_rss_bytes": 2**29,
                     "row_counts": {"timeseries": 31_200}},
            "build": build,
            "publish": {"ok": True, "seconds": 1.0, "peak_rss_bytes": 2**28, "publish_seconds": 0.4,
                        "publish_bytes": 2**20 * (1 - position), "bytes_on_disk": 2**24},
            "tests": _dbt_phase(config, "tests", scale=2.0),
            "incremental": incremental,
            "anomalies": _dbt_phase(config, "anomalies", scale=0.5 + 5 * position),
        }
        if position == 0:
            phases = {"generate": {"ok": True, "seconds": 2.0, "peak_rss_bytes": 2**29}, **phases,
                      "baseline": _race(config, mismatched_rows)}
        runs[target] = phases
    return report.build_results(BenchConfig(channels=300, weeks=104, workdir=str(tmp_path / "work")), runs,
                                {"threads": 2, "memory_limit": "6GB"})


def _rendered(tmp_path: Path, results: dict) -> tuple[str, str]:
    """Run the command on a README with a status block between other text; the README before and after."""
    results_path = report.write_results(results, tmp_path / "results.json")
    readme = tmp_path / "README.md"
    before = f"# Project\n\nintro\n\n{README_START}\nan old status, typed by hand\n{README_END}\n\n## Next\n"
    readme.write_text(before)
    assert report.main(["--results", str(results_path), "--readme", str(readme)]) == 0
    return before, readme.read_text()


def _block(text: str) -> str:
    return text.split(README_START)[1].split(README_END)[0]


def _row(block: str, label: str) -> list[str]:
    (line,) = [line for line in block.splitlines() if line.startswith(f"| {label} |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_status_has_one_row_per_goal_of_the_issue_with_its_bound(tmp_path):
    _, after = _rendered(tmp_path, _results(tmp_path))
    block = _block(after)
    table_rows = [line for line in block.splitlines() if line.startswith("| ") and not line.startswith("| target")]
    assert len(table_rows) == len(GOALS)
    for goal in GOALS:
        label, bound, *_ = _row(block, goal.label)
        assert bound.startswith("≤" if goal.at_most else "≥")


def test_every_cell_says_met_or_not_met_as_the_results_judge_it(tmp_path):
    results = _results(tmp_path)
    block = _block(_rendered(tmp_path, results)[1])
    for column, target in enumerate(results["targets"], start=2):
        run = results["targets"][target]
        for goal in GOALS:
            cell = _row(block, goal.label)[column]
            if goal.key not in run["met"]:
                assert "met" not in cell.replace("measured", ""), (target, goal.key, cell)
                continue
            assert ("**not met**" in cell) == (not run["met"][goal.key]), (target, goal.key, cell)
            assert "×" in cell  # by how much, either way


def test_the_race_is_shown_once_on_the_target_it_ran_on(tmp_path):
    results = _results(tmp_path)
    block = _block(_rendered(tmp_path, results)[1])
    for goal in (g for g in GOALS if g.shared):
        _, _, file_cell, lake_cell = _row(block, goal.label)
        assert "met" in file_cell
        assert lake_cell == "(once per run, on file)"


def test_a_race_whose_outputs_differ_gives_no_ratio(tmp_path):
    results = _results(tmp_path, mismatched_rows=3)
    assert "race_full_speedup" not in results["targets"]["file"]["met"]
    block = _block(_rendered(tmp_path, results)[1])
    for goal in (g for g in GOALS if g.shared):
        assert "outputs differ" in _row(block, goal.label)[2]


def test_the_block_names_the_scale_the_date_and_the_command(tmp_path):
    results = _results(tmp_path)
    block = _block(_rendered(tmp_path, results)[1])
    assert results["measured_at"] in block
    assert f"{results['scale']['weeks']} weeks" in block
    assert "python -m bench.report --readme" in block


def test_text_around_the_block_is_kept_and_a_second_run_changes_nothing(tmp_path):
    results = _results(tmp_path)
    before, after = _rendered(tmp_path, results)
    assert after.split(README_START)[0] == before.split(README_START)[0]
    assert after.split(README_END)[1] == before.split(README_END)[1]
    assert "typed by hand" not in after
    assert report.update_readme(after, results) == after


def test_a_readme_without_the_markers_is_refused(tmp_path):
    with pytest.raises(ValueError, match="bench-status"):
        report.update_readme("# no status here\n", _results(tmp_path))


def test_the_weekly_refresh_splits_models_own_statements_from_dbts_bookkeeping(tmp_path):
    summary = _results(tmp_path)["targets"]["file"]["summary"]
    nodes = _results(tmp_path / "again")["targets"]["file"]["phases"]["incremental"]["dbt_nodes"]
    for node in nodes:
        # BEGIN and the comment are dbt's bookkeeping; the create statement is the model's own.
        assert node["sql_seconds"] > node["own_sql_seconds"] > 0
        assert node["dbt_overhead_seconds"] == pytest.approx(node["seconds"] - node["own_sql_seconds"], abs=1e-3)
    assert summary["incremental_models_own_seconds"] == pytest.approx(sum(n["own_sql_seconds"] for n in nodes))
    assert summary["incremental_models_share"] == pytest.approx(
        summary["incremental_models_own_seconds"] / summary["build_models_own_seconds"], abs=1e-4)
