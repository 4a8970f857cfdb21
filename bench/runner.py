"""Runs the phases in order, each in its own measured process, and collects their figures.

A phase that fails is recorded with its exit code and the end of its log, and
the phases that need its output are skipped: a partial result is still written.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.config import BenchConfig
from bench.dbt_cli import build_args, dbt_command, dbt_env, invocation_seconds, node_timings
from bench.measure import log_tail, run_measured

PHASES = ("generate", "load", "build", "publish", "tests", "incremental", "anomalies", "baseline")
# Run once for the whole benchmark, not per storage target: the world, and the race with pandas.
SHARED_PHASES = ("generate", "baseline")
# What a phase needs to have succeeded before it can run.
NEEDS = {"load": "generate", "build": "load", "publish": "build", "tests": "build", "incremental": "build",
         "anomalies": "build", "baseline": "incremental"}


def _python_phase(config: BenchConfig, phase: str) -> tuple[list[str], Path]:
    config.target_root.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkstemp(prefix=f"bench_{phase}_", suffix=".json", dir=config.root)[1])
    return [sys.executable, "-m", "bench.child", phase, config.to_json(), str(out)], out


def run_phase(config: BenchConfig, phase: str) -> dict:
    """Run one phase in a child process; its figures plus wall time and peak RSS."""
    env = dbt_env(config)
    out = None
    if phase in ("build", "tests", "anomalies"):
        command = dbt_command(config, phase, build_args(phase))
    else:
        command, out = _python_phase(config, phase)
    measured = run_measured(command, env, config.root / "logs" / config.target / f"{phase}.log")
    record = {"ok": measured.returncode == 0, "seconds": measured.seconds,
              "peak_rss_bytes": measured.peak_rss_bytes, "log": measured.log_path}
    if out is not None:
        if measured.returncode == 0:
            record.update(json.loads(out.read_text()))
        out.unlink(missing_ok=True)
    if phase in ("build", "tests", "incremental", "anomalies"):
        record["dbt_nodes"] = node_timings(config, phase)
        record["dbt_elapsed_seconds"] = invocation_seconds(config, phase)
    if measured.returncode != 0:
        record["exit_code"] = measured.returncode
        record["error"] = log_tail(measured.log_path)
    return record


def run_all(config: BenchConfig, phases: tuple[str, ...], progress=print, after_phase=None) -> dict[str, dict]:
    """Every requested phase in order; a phase whose prerequisite failed in this run is skipped.

    ``after_phase(results)`` is called after each phase, so a run stopped midway
    (full scale takes long) still leaves the figures measured so far.
    """
    config.root.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    for phase in PHASES:
        if phase not in phases:
            continue
        need = NEEDS.get(phase)
        if need in results and not results[need]["ok"]:
            results[phase] = {"ok": False, "skipped": f"{need} failed"}
            progress(f"[bench] {phase}: skipped ({need} failed)")
            continue
        progress(f"[bench] {config.target}: {phase} ...")
        results[phase] = run_phase(config, phase)
        r = results[phase]
        progress(f"[bench] {config.target}: {phase}: {'ok' if r['ok'] else 'FAILED'} in {r['seconds']:.1f} s, "
                 f"peak RSS {r['peak_rss_bytes'] / 2**30:.2f} GiB")
        if not r["ok"]:
            progress(r.get("error", ""))
        if after_phase is not None:
            after_phase(results)
    return results
