"""Turns the measured phases into `bench/results.json` and the markdown table printed at the end.

Targets come from the benchmark issue; "met" is computed from this run's
figures only, and a phase that did not run is shown as such, never as a zero.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from bench.config import BenchConfig
from bench.measure import machine

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"
# Figures compared between the storage targets, in the report's order.
COMPARED = ("load_seconds", "build_seconds", "publish_seconds", "incremental_seconds", "anomalies_seconds",
            "peak_rss_bytes", "bytes_on_disk")
GIB = 2**30
GOALS = {
    "load_seconds": 30.0,
    "build_seconds": 90.0,
    "incremental_share": 0.05,
    "anomalies_seconds": 60.0,
    "peak_rss_bytes": 8 * 10**9,
    "baseline_speedup": 10.0,
}


def _derived(phases: dict[str, dict]) -> dict:
    """The figures the targets are about, from the phases that succeeded."""
    ok = {name: p for name, p in phases.items() if p.get("ok")}
    out: dict = {}
    if "load" in ok:
        rows = ok["load"].get("row_counts", {}).get("timeseries")
        out["load_seconds"] = ok["load"]["seconds"]
        out["load_rows"] = rows
        out["load_rows_per_second"] = round(rows / ok["load"]["seconds"]) if rows else None
    if "build" in ok:
        out["build_seconds"] = ok["build"]["seconds"]
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
    if "anomalies" in ok:
        out["anomalies_seconds"] = ok["anomalies"]["seconds"]
    if "publish" in ok:
        out["publish_seconds"] = ok["publish"]["publish_seconds"]
        out["publish_bytes"] = ok["publish"]["publish_bytes"]
        out["bytes_on_disk"] = ok["publish"]["bytes_on_disk"]
    if "baseline" in ok:
        out["baseline_speedup"] = ok["baseline"].get("speedup")
    measured_rss = [p["peak_rss_bytes"] for name, p in ok.items() if name != "generate"]
    if measured_rss:
        out["peak_rss_bytes"] = max(measured_rss)
    return out


def _met(derived: dict) -> dict[str, bool]:
    met = {}
    for key, target in GOALS.items():
        if derived.get(key) is None:
            continue
        met[key] = derived[key] >= target if key == "baseline_speedup" else derived[key] <= target
    return met


def build_results(config: BenchConfig, runs: dict[str, dict[str, dict]], duckdb_settings: dict) -> dict:
    """Every target's phases, figures and verdicts, plus the DuckLake-against-file ratios of this run."""
    world = json.loads(config.world_manifest.read_text()) if config.world_manifest.exists() else {}
    targets = {}
    for name, phases in runs.items():
        derived = _derived(phases)
        targets[name] = {"phases": phases, "summary": derived, "met": _met(derived)}
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "scale": {"channels_requested": config.channels, "weeks": config.weeks,
                  **{k: v for k, v in world.items() if k in (
                      "channels", "artists", "history_rows", "new_week_rows", "first_week", "new_week")}},
        "config": json.loads(config.to_json()),
        "duckdb": duckdb_settings,
        "targets": targets,
        "lake_over_file": _ratios(targets),
        "goals": GOALS,
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


def _rss(phase: dict) -> str:
    return f"{phase['peak_rss_bytes'] / GIB:.2f} GiB" if "peak_rss_bytes" in phase else "-"


def _status(phase: dict | None) -> str:
    if phase is None:
        return "not run"
    if phase.get("skipped"):
        return f"skipped ({phase['skipped']})"
    return "" if phase.get("ok") else f"FAILED (exit {phase.get('exit_code')})"


def _growth_history(results: dict) -> str:
    weeks = results["config"].get("growth_history_weeks")
    return "every week" if weeks is None else f"latest {weeks} weeks"


def _phase_figure(run: dict, phase: str) -> str:
    p, s = run["phases"], run["summary"]
    if not p.get(phase, {}).get("ok"):
        return _status(p.get(phase))
    if phase == "load":
        return f"{s['load_seconds']:.1f} s ({s.get('load_rows_per_second') or 0:,} rows/s)"
    if phase == "build":
        return f"{s['build_seconds']:.1f} s"
    if phase == "publish":
        return f"{s['publish_seconds']:.1f} s, {s['publish_bytes'] / GIB:.2f} GiB written"
    if phase == "tests":
        return f"{s['tests_seconds']:.1f} s"
    if phase == "incremental":
        return (f"{s['incremental_seconds']:.1f} s ({100 * (s.get('incremental_share') or 0):.1f} % of full; "
                f"appending the week to raw: {s.get('incremental_append_seconds') or 0:.1f} s)")
    if phase == "anomalies":
        return f"{s['anomalies_seconds']:.1f} s"
    return f"{p[phase]['seconds']:.1f} s"


ROWS = (  # phase, label, goal, the summary figure the ratio and the verdict are about
    ("load", "1. history load into raw", "≤ 30 s", "load_seconds"),
    ("build", "2. full build of the marts", "≤ 90 s", "build_seconds"),
    ("publish", "publishing the build to readers", "0 bytes copied", "publish_seconds"),
    ("tests", "2b. dbt data tests on the built marts", "-", "tests_seconds"),
    ("incremental", "3. weekly incremental refresh", "≤ 5 % of full", "incremental_seconds"),
    ("anomalies", "4. anomaly scoring", "≤ 60 s", "anomalies_seconds"),
)


def markdown(results: dict) -> str:
    """The table printed at the end of a run (and pasted into reports): the targets side by side."""
    targets, ratios, scale, m = results["targets"], results["lake_over_file"], results["scale"], results["machine"]
    names = list(targets)
    first = targets[names[0]]

    def verdict(run: dict, key: str) -> str:
        met = run["met"]
        return "" if key not in met else ("yes" if met[key] else "**no**")

    met_key = {"load_seconds": "load_seconds", "build_seconds": "build_seconds",
               "incremental_seconds": "incremental_share", "anomalies_seconds": "anomalies_seconds"}
    lines = [
        f"uRated benchmark — {scale.get('channels', 0):,} channels × {scale.get('weeks')} weeks "
        f"({scale.get('history_rows', 0):,} history rows) — {m['cores']} cores, "
        f"{(m['memory_bytes'] or 0) / GIB:.1f} GiB RAM — DuckDB threads {results['duckdb'].get('threads')}, "
        f"memory_limit {results['duckdb'].get('memory_limit')} — fct_growth as_of history: {_growth_history(results)}",
        "",
        "| phase | " + " | ".join(names) + (" | ducklake / file" if len(ratios) else "") + " | goal | met (" +
        ", ".join(names) + ") |",
        "|---|" + "---|" * len(names) + ("---|" if len(ratios) else "") + "---|---|",
    ]
    for phase, label, goal, key in ROWS:
        figures = [_phase_figure(targets[n], phase) for n in names]
        ratio = [f"{ratios[key]:.2f}×" if key in ratios else "-"] if len(ratios) else []
        met = ", ".join(verdict(targets[n], met_key.get(key, "")) or "-" for n in names)
        lines.append(f"| {label} | " + " | ".join(figures + ratio) + f" | {goal} | {met} |")
    rss = [f"{targets[n]['summary']['peak_rss_bytes'] / GIB:.2f} GiB" if "peak_rss_bytes" in targets[n]["summary"]
           else "-" for n in names]
    lines.append("| 5. peak RSS, worst phase | " + " | ".join(
        rss + ([f"{ratios['peak_rss_bytes']:.2f}×"] if "peak_rss_bytes" in ratios else ["-"] if len(ratios) else []))
        + " | ≤ 8 GB | " + ", ".join(verdict(targets[n], "peak_rss_bytes") or "-" for n in names) + " |")
    disk = [f"{targets[n]['summary']['bytes_on_disk'] / GIB:.2f} GiB" if "bytes_on_disk" in targets[n]["summary"]
            else "-" for n in names]
    lines.append("| bytes on disk after the build (warehouse + readers' copy, or catalog + Parquet) | " + " | ".join(
        disk + ([f"{ratios['bytes_on_disk']:.2f}×"] if "bytes_on_disk" in ratios else ["-"] if len(ratios) else []))
        + " | - | |")
    b = first["phases"].get("baseline", {})
    if b.get("ok"):
        base = (f"pandas {b['pandas_seconds']:.2f} s vs ours {b['ours_seconds']:.2f} s = {b['speedup']}× "
                f"({b['channels']:,} channels, {b['weekly_rows']:,} weekly rows; "
                f"agrees on sample: {b['agreement']['agrees']}); on {names[0]}")
    else:
        base = _status(first["phases"].get("baseline"))
    lines.append(f"| 6. pandas baseline (7d/30d) | {base} |" + " |" * (len(names) - 1 + (1 if len(ratios) else 0))
                 + f" ≥ 10× | {verdict(first, 'baseline_speedup') or '-'} |")
    return "\n".join(lines)
