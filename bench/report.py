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
GIB = 2**30
TARGETS = {
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
    if "baseline" in ok:
        out["baseline_speedup"] = ok["baseline"].get("speedup")
    measured_rss = [p["peak_rss_bytes"] for name, p in ok.items() if name != "generate"]
    if measured_rss:
        out["peak_rss_bytes"] = max(measured_rss)
    return out


def _met(derived: dict) -> dict[str, bool]:
    met = {}
    for key, target in TARGETS.items():
        if derived.get(key) is None:
            continue
        met[key] = derived[key] >= target if key == "baseline_speedup" else derived[key] <= target
    return met


def build_results(config: BenchConfig, phases: dict[str, dict], duckdb_settings: dict) -> dict:
    derived = _derived(phases)
    world = json.loads(config.world_manifest.read_text()) if config.world_manifest.exists() else {}
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "scale": {"channels_requested": config.channels, "weeks": config.weeks,
                  **{k: v for k, v in world.items() if k in (
                      "channels", "artists", "history_rows", "new_week_rows", "first_week", "new_week")}},
        "config": json.loads(config.to_json()),
        "duckdb": duckdb_settings,
        "phases": phases,
        "summary": derived,
        "targets": TARGETS,
        "met": _met(derived),
    }


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


def markdown(results: dict) -> str:
    """The table printed at the end of a run (and pasted into reports)."""
    p, s, met = results["phases"], results["summary"], results["met"]
    m = results["machine"]
    scale = results["scale"]

    def mark(key: str) -> str:
        return "" if key not in met else ("yes" if met[key] else "**no**")

    def fig(phase: str, text: str) -> str:
        return text if p.get(phase, {}).get("ok") else _status(p.get(phase))

    rows = [
        ("generate world (YouNiverse TSV)", fig("generate", f"{p.get('generate', {}).get('seconds', 0):.1f} s, "
                                            f"{scale.get('history_rows', 0):,} rows"), "-", "", "generate"),
        ("1. history load into raw", fig("load", f"{s.get('load_seconds', 0):.1f} s "
                                         f"({s.get('load_rows_per_second') or 0:,} rows/s)"), "≤ 30 s",
         mark("load_seconds"), "load"),
        ("2. full build of the marts", fig("build", f"{s.get('build_seconds', 0):.1f} s"), "≤ 90 s",
         mark("build_seconds"), "build"),
        ("2b. dbt data tests on the built marts (no target)", fig("tests", f"{s.get('tests_seconds', 0):.1f} s"),
         "-", "", "tests"),
        ("3. weekly incremental refresh", fig("incremental", f"{s.get('incremental_seconds', 0):.1f} s "
                                              f"({100 * (s.get('incremental_share') or 0):.1f} % of full; "
                                              f"appending the week to raw: {s.get('incremental_append_seconds') or 0:.1f} s)"),
         "≤ 5 % of full", mark("incremental_share"), "incremental"),
        ("4. anomaly scoring", fig("anomalies", f"{s.get('anomalies_seconds', 0):.1f} s"), "≤ 60 s",
         mark("anomalies_seconds"), "anomalies"),
    ]
    b = p.get("baseline", {})
    if b.get("ok"):
        base = (f"pandas {b['pandas_seconds']:.2f} s vs ours {b['ours_seconds']:.2f} s = {b['speedup']}× "
                f"({b['channels']:,} channels, {b['weekly_rows']:,} weekly rows; "
                f"agrees on sample: {b['agreement']['agrees']})")
    else:
        base = _status(p.get("baseline"))
    rows.append(("6. pandas baseline (7d/30d)", base, "≥ 10×", mark("baseline_speedup"), "baseline"))
    lines = [
        f"uRated benchmark — {scale.get('channels', 0):,} channels × {scale.get('weeks')} weeks "
        f"({scale.get('history_rows', 0):,} history rows) — {m['cores']} cores, "
        f"{(m['memory_bytes'] or 0) / GIB:.1f} GiB RAM — DuckDB threads {results['duckdb'].get('threads')}, "
        f"memory_limit {results['duckdb'].get('memory_limit')}, temp_directory {results['duckdb'].get('temp_directory')} — "
        f"fct_growth as_of history: {_growth_history(results)}",
        "",
        "| phase | measured | target | met | peak RSS (5.) |",
        "|---|---|---|---|---|",
    ]
    for name, figure, target, ok, key in rows:
        lines.append(f"| {name} | {figure} | {target} | {ok} | {_rss(p.get(key, {}))} |")
    if "peak_rss_bytes" in s:
        lines.append(f"| 5. peak RSS, worst phase | {s['peak_rss_bytes'] / GIB:.2f} GiB | ≤ 8 GB | "
                     f"{mark('peak_rss_bytes')} | |")
    return "\n".join(lines)
