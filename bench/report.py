"""Turns the measured phases into `bench/results.json`, the table printed at the end, and the README's status.

Goals come from the benchmark issue; "met" is computed from this run's figures
only, and a phase that did not run is shown as such, never as a zero.

``python -m bench.report [--results PATH] [--readme [README]]`` prints the table
of a results file, or rewrites the README's status block (between
:data:`README_START` and :data:`README_END`) from it: the status is never typed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from bench.config import BenchConfig
from bench.measure import machine

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"
README_FILE = Path(__file__).resolve().parent.parent / "README.md"
README_START = "<!-- bench-status:start -->"
README_END = "<!-- bench-status:end -->"
# Figures compared between the storage targets, in the report's order.
COMPARED = ("load_seconds", "build_seconds", "publish_seconds", "incremental_seconds", "anomalies_seconds",
            "peak_rss_bytes", "bytes_on_disk")
GIB = 2**30


@dataclass(frozen=True)
class Goal:
    """One target of the benchmark issue: a summary figure and the bound it must meet."""

    key: str
    label: str
    bound: float
    at_most: bool  # the figure must be at most the bound (else at least)
    unit: str  # "s", "share", "bytes" or "x"
    shared: bool = False  # measured once per run (the pandas race), not per storage target


GOALS = (
    Goal("load_seconds", "history load into raw", 30.0, True, "s"),
    Goal("build_seconds", "full build of the marts", 90.0, True, "s"),
    Goal("tests_seconds", "dbt data tests on the built marts", 60.0, True, "s"),
    Goal("incremental_share", "weekly refresh against the full build (target at full scale)", 0.05, True, "share"),
    Goal("incremental_models_share", "weekly refresh, the models' own time against the full build's "
                                     "(target at quick scale)", 0.25, True, "share"),
    Goal("anomalies_seconds", "anomaly scoring", 30.0, True, "s"),
    Goal("peak_rss_bytes", "peak RSS, worst phase", 4 * GIB, True, "bytes"),
    Goal("race_full_speedup", "vs pandas, full recompute, same rows", 1.0, False, "x", shared=True),
    Goal("race_weekly_speedup", "vs pandas, our weekly update against pandas recomputing all", 10.0, False, "x",
         shared=True),
)


def _models(phase: dict) -> list[dict]:
    return [n for n in phase.get("dbt_nodes", []) if n.get("kind") == "model"]


def _own_seconds(phase: dict) -> float | None:
    """The models' own time in a dbt phase: their statements in the warehouse, without dbt's bookkeeping."""
    models = _models(phase)
    if not models or any("own_sql_seconds" not in n for n in models):
        return None
    return round(sum(n["own_sql_seconds"] for n in models), 3)


def _derived(phases: dict[str, dict]) -> dict:
    """The figures the goals are about, from the phases that succeeded."""
    ok = {name: p for name, p in phases.items() if p.get("ok")}
    out: dict = {}
    if "load" in ok:
        rows = ok["load"].get("row_counts", {}).get("timeseries")
        out["load_seconds"] = ok["load"]["seconds"]
        out["load_rows"] = rows
        out["load_rows_per_second"] = round(rows / ok["load"]["seconds"]) if rows else None
    if "build" in ok:
        out["build_seconds"] = ok["build"]["seconds"]
        out["build_models_own_seconds"] = _own_seconds(ok["build"])
    if "tests" in ok:
        out["tests_seconds"] = ok["tests"]["seconds"]
    if "incremental" in ok:
        # dbt against dbt: the share compares the incremental dbt run with the full dbt run;
        # appending the new week to raw is a load, reported on its own.
        inc = ok["incremental"]
        out["incremental_seconds"] = inc.get("dbt_seconds", inc["seconds"])
        out["incremental_append_seconds"] = inc.get("append_seconds")
        if "build" in ok:
            out["incremental_share"] = round(out["incremental_seconds"] / ok["build"]["seconds"], 4)
        models = _models(inc)
        own = _own_seconds(inc)
        out["incremental_models_own_seconds"] = own
        if models and own is not None:
            # dbt's fixed cost: per model, its time less its own statements; per run, starting and parsing.
            overhead = sum(n["dbt_overhead_seconds"] for n in models)
            out["incremental_models"] = len(models)
            out["incremental_dbt_overhead_seconds"] = round(overhead, 3)
            out["incremental_dbt_overhead_per_model_seconds"] = round(overhead / len(models), 3)
            if inc.get("dbt_elapsed_seconds") is not None:
                out["incremental_dbt_startup_seconds"] = round(out["incremental_seconds"] - inc["dbt_elapsed_seconds"], 3)
            if out.get("build_models_own_seconds"):
                out["incremental_models_share"] = round(own / out["build_models_own_seconds"], 4)
    if "anomalies" in ok:
        out["anomalies_seconds"] = ok["anomalies"]["seconds"]
    if "publish" in ok:
        out["publish_seconds"] = ok["publish"]["publish_seconds"]
        out["publish_bytes"] = ok["publish"]["publish_bytes"]
        out["bytes_on_disk"] = ok["publish"]["bytes_on_disk"]
    if "baseline" in ok:
        race = ok["baseline"]
        out["race_equal"] = bool(race["equality"]["equal"])
        out["race_mismatches"] = race["equality"]["mismatches"]
        # A ratio on different outputs would mean nothing: it is only reported when every row agrees.
        if out["race_equal"]:
            out["race_full_speedup"] = race["full_speedup"]
            out["race_weekly_speedup"] = race["weekly_speedup"]
    measured_rss = {name: p["peak_rss_bytes"] for name, p in ok.items() if name != "generate"}
    if measured_rss:
        out["peak_rss_phase"] = max(measured_rss, key=measured_rss.get)
        out["peak_rss_bytes"] = measured_rss[out["peak_rss_phase"]]
    return out


def _met(derived: dict) -> dict[str, bool]:
    return {g.key: (derived[g.key] <= g.bound if g.at_most else derived[g.key] >= g.bound)
            for g in GOALS if derived.get(g.key) is not None}


@cache
def code_measured() -> dict:
    """The code the figures come from: the commit, and whether the work tree had changes when the run began.

    Read once per process (the first results written), so a commit made while a run goes on is not
    taken for the one it measured.
    """
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": head, "dirty": bool(dirty)}


def build_results(config: BenchConfig, runs: dict[str, dict[str, dict]], duckdb_settings: dict) -> dict:
    """Every target's phases, figures and verdicts, plus the DuckLake-against-file ratios of this run."""
    world = json.loads(config.world_manifest.read_text()) if config.world_manifest.exists() else {}
    targets = {}
    for name, phases in runs.items():
        derived = _derived(phases)
        targets[name] = {"phases": phases, "summary": derived, "met": _met(derived)}
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "code": code_measured(),
        "machine": machine(),
        "scale": {"channels_requested": config.channels, "weeks": config.weeks,
                  **{k: v for k, v in world.items() if k in (
                      "channels", "artists", "history_rows", "new_week_rows", "first_week", "new_week")}},
        "config": json.loads(config.to_json()),
        "duckdb": duckdb_settings,
        "targets": targets,
        "lake_over_file": _ratios(targets),
        "goals": {g.key: asdict(g) for g in GOALS},
    }


def _ratios(targets: dict) -> dict:
    """DuckLake's figure over the file's, per compared figure (the aim: at most 1.3)."""
    if not {"file", "ducklake"} <= set(targets):
        return {}
    file, lake = targets["file"]["summary"], targets["ducklake"]["summary"]
    return {key: round(lake[key] / file[key], 3) for key in COMPARED
            if file.get(key) and lake.get(key) is not None}


def write_results(results: dict, path: Path = RESULTS_FILE) -> Path:
    path.write_text(json.dumps(results, indent=2, default=str))
    return path


# -- rendering --------------------------------------------------------------------------------------

def _figure(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.1f} s"
    if unit == "share":
        return f"{100 * value:.1f} %"
    if unit == "bytes":
        return f"{value / GIB:.2f} GiB"
    return f"{value:.2f}×"


def _bound(goal: Goal) -> str:
    figures = {"s": f"{goal.bound:g} s", "share": f"{100 * goal.bound:g} %", "bytes": f"{goal.bound / GIB:g} GiB",
               "x": f"{goal.bound:g}×"}
    return ("≤ " if goal.at_most else "≥ ") + figures[goal.unit]


def _status(phase: dict | None) -> str:
    if phase is None:
        return "not run"
    if phase.get("skipped"):
        return f"skipped ({phase['skipped']})"
    return "" if phase.get("ok") else f"FAILED (exit {phase.get('exit_code')})"


# Which phase a goal's figure comes from, to say why it is missing.
GOAL_PHASE = {"load_seconds": "load", "build_seconds": "build", "tests_seconds": "tests",
              "incremental_share": "incremental", "incremental_models_share": "incremental",
              "anomalies_seconds": "anomalies", "race_full_speedup": "baseline", "race_weekly_speedup": "baseline"}


def goal_cell(run: dict, goal: Goal) -> str:
    """One target's figure for a goal and the verdict, with by how much it is met or missed."""
    summary = run["summary"]
    value = summary.get(goal.key)
    if value is None:
        phase = GOAL_PHASE.get(goal.key)
        if goal.shared and summary.get("race_equal") is False:
            return f"**outputs differ** ({summary['race_mismatches']:,} rows): no ratio"
        return (_status(run["phases"].get(phase)) if phase else "") or "not measured"
    # How far from the bound, as a factor: the figure over the bound for a ceiling, the bound over it for a floor.
    if run["met"][goal.key]:
        margin = goal.bound / value if goal.at_most else value / goal.bound
        verdict = f"met ({margin:.2f}× {'under' if goal.at_most else 'above'})" if value else "met"
    else:
        margin = value / goal.bound if goal.at_most else goal.bound / value
        verdict = f"**not met** ({margin:.2f}× {'over' if goal.at_most else 'short'})" if value else "**not met**"
    where = f" ({summary['peak_rss_phase']})" if goal.key == "peak_rss_bytes" and "peak_rss_phase" in summary else ""
    return f"{_figure(value, goal.unit)}{where}: {verdict}"


def _header(results: dict) -> str:
    scale, m, code = results["scale"], results["machine"], results.get("code", {})
    weeks = results["config"].get("growth_history_weeks")
    commit = code.get("commit") or "unknown"
    return (f"{scale.get('channels', 0):,} channels × {scale.get('weeks')} weeks "
            f"({scale.get('history_rows', 0):,} history rows), run {results['measured_at']} on commit "
            f"{commit}{' with local changes' if code.get('dirty') else ''}; {m['cores']} cores, "
            f"{(m['memory_bytes'] or 0) / GIB:.1f} GiB RAM; DuckDB threads {results['duckdb'].get('threads')}, "
            f"memory_limit {results['duckdb'].get('memory_limit')}; fct_growth as_of history: "
            f"{'every week' if weeks is None else f'latest {weeks} weeks'}")


def status_table(results: dict) -> str:
    """Every goal of the issue against this run, one column per storage target measured."""
    targets = results["targets"]
    names = list(targets)
    race_on = next((n for n in names if "baseline" in targets[n]["phases"]), None)
    lines = ["| target | goal | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for goal in GOALS:
        cells = []
        for name in names:
            if goal.shared and name != race_on:
                cells.append(f"(once per run, on {race_on})" if race_on else "not run")
            else:
                cells.append(goal_cell(targets[name], goal))
        lines.append(f"| {goal.label} | {_bound(goal)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _race_lines(results: dict) -> list[str]:
    for name, run in results["targets"].items():
        race = run["phases"].get("baseline")
        if not race or not race.get("ok"):
            continue
        eq, inc = race["equality"], race["incremental_equals_full"]
        return [
            f"pandas race (on {name}): {race['channels']:,} channels, {race['input_points']:,} points in, "
            f"{race['ours_rows']:,} growth rows ({race['as_of_dates']} as_of dates {race['as_of_first']} .. "
            f"{race['as_of_last']}, periods {', '.join(race['periods'])}); rows only in pandas "
            f"{eq['rows_only_in_pandas']:,}, only in ours {eq['rows_only_in_ours']:,} (every row, every column: "
            f"{'equal' if eq['equal'] else 'NOT EQUAL'}); pandas {race['pandas_seconds']:.2f} s; "
            f"fct_growth full build {race['full']['model_seconds']:.2f} s ({race['full_speedup']}×; its SQL "
            f"{race['full']['sql_seconds']:.2f} s, {race['full_speedup_sql_only']}×), weekly update "
            f"{race['weekly']['model_seconds']:.2f} s ({race['weekly_speedup']}×; its SQL "
            f"{race['weekly']['sql_seconds']:.2f} s, {race['weekly_speedup_sql_only']}×); weekly update equals "
            f"the full recompute: {inc['equal']} ({inc['rows_kept_before_horizon']:,} rows kept from before "
            f"the as_of horizon)"]
    return []


def _refresh_lines(results: dict) -> list[str]:
    lines = []
    for name, run in results["targets"].items():
        s = run["summary"]
        if s.get("incremental_models_own_seconds") is None:
            continue
        slowest = ", ".join(f"{n['node']} {n['own_sql_seconds']:.2f} s (+{n['dbt_overhead_seconds']:.2f} s dbt)"
                            for n in _models(run["phases"]["incremental"])[:4])
        lines.append(
            f"weekly refresh on {name}: {s['incremental_seconds']:.1f} s of dbt = models' own statements "
            f"{s['incremental_models_own_seconds']:.2f} s (full build's: {s.get('build_models_own_seconds') or 0:.2f} s)"
            f" + dbt's fixed cost {s['incremental_dbt_overhead_seconds']:.2f} s over {s['incremental_models']} models "
            f"({s['incremental_dbt_overhead_per_model_seconds']:.3f} s each) + starting and parsing "
            f"{s.get('incremental_dbt_startup_seconds', 0):.1f} s (threads overlap models); slowest: {slowest}; "
            f"appending the week to raw: {s.get('incremental_append_seconds') or 0:.1f} s")
    return lines


def markdown(results: dict) -> str:
    """The report printed at the end of a run: the status table, then what is behind its figures."""
    targets, ratios = results["targets"], results["lake_over_file"]
    lines = ["uRated benchmark — " + _header(results), "", status_table(results), ""]
    details = ["| figure | " + " | ".join(targets) + " |", "|---|" + "---|" * len(targets)]
    for key, label in (("publish_seconds", "publishing the build to readers"),
                       ("publish_bytes", "bytes copied to publish"),
                       ("bytes_on_disk", "bytes on disk after the build (warehouse + readers' copy, or catalog + Parquet)"),
                       ("incremental_append_seconds", "appending the new week to raw (a load, not in the refresh)")):
        unit = "bytes" if key.endswith("bytes") or key == "bytes_on_disk" else "s"
        details.append(f"| {label} | " + " | ".join(
            _figure(run["summary"][key], unit) if run["summary"].get(key) is not None else "-"
            for run in targets.values()) + " |")
    lines += details
    if ratios:
        lines += ["", "ducklake / file: " + ", ".join(f"{k} {v:.2f}×" for k, v in ratios.items())]
    lines += [""] + _race_lines(results) + _refresh_lines(results)
    return "\n".join(lines)


def readme_block(results: dict) -> str:
    """The README's status: where it comes from, the run's scale and date, and the table."""
    return "\n".join([
        README_START,
        f"**Status** (written by `python -m bench.report --readme` from `bench/results.json`): {_header(results)}.",
        "",
        status_table(results),
        README_END,
    ])


def update_readme(text: str, results: dict) -> str:
    """``text`` with its status block replaced by this run's; the markers must be there, once each."""
    if text.count(README_START) != 1 or text.count(README_END) != 1:
        raise ValueError(f"the README needs one {README_START} and one {README_END} line around the status")
    before, rest = text.split(README_START)
    _, after = rest.split(README_END)
    return before + readme_block(results) + after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS_FILE, help="a results.json written by the benchmark")
    parser.add_argument("--readme", type=Path, nargs="?", const=README_FILE,
                        help="rewrite the status block of this README (default: the project's)")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text())
    if args.readme is None:
        print(markdown(results))
        return 0
    args.readme.write_text(update_readme(args.readme.read_text(), results))
    print(f"{args.readme}: status from {args.results} ({results['measured_at']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
