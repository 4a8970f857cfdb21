"""Entry point of the benchmark's Python phases, each run in a fresh process.

``python -m bench.child PHASE CONFIG_JSON OUT_JSON``: a fresh interpreter per
phase, so its peak RSS (read by the parent through ``wait4``) belongs to it
alone and DuckDB's buffers die with it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.config import BenchConfig
from urated import settings, warehouse


def _generate(config: BenchConfig) -> dict:
    from bench.generate import generate_world

    return generate_world(config)


def _load(config: BenchConfig) -> dict:
    """Phase 1: the history through the YouNiverse loader, into a fresh warehouse."""
    from bench.new_week import PIPELINE_NAME
    from ingestion.youniverse import load_youniverse

    shutil.rmtree(config.target_root, ignore_errors=True)  # a fresh warehouse, dlt state and dbt targets
    summary = load_youniverse(config.history_dir, pipelines_dir=config.dlt_dir, pipeline_name=PIPELINE_NAME)
    with warehouse.connect(read_only=True) as con:
        duckdb_settings = dict(con.execute("""
            SELECT name, value FROM duckdb_settings()
            WHERE name IN ('threads', 'memory_limit', 'temp_directory', 'preserve_insertion_order')
        """).fetchall())
    return {**summary, "duckdb_defaults": duckdb_settings}


def _publish(config: BenchConfig) -> dict:
    """After the full build: what publishing it to readers costs (the file copies itself; the lake records a row)."""
    published = warehouse.publish("bench")
    return {"publish_seconds": round(published.seconds, 3), "publish_bytes": published.bytes_written,
            "bytes_on_disk": config.storage().bytes_on_disk()}


def _incremental(config: BenchConfig) -> dict:
    """Phase 3: append the held-back week, then run dbt without --full-refresh."""
    from bench.dbt_cli import build_args, dbt_command, dbt_env
    from bench.new_week import append_new_week

    started = time.perf_counter()
    appended = append_new_week(config)
    append_seconds = time.perf_counter() - started
    command = dbt_command(config, "incremental", build_args("incremental"))
    started = time.perf_counter()
    completed = subprocess.run(command, env=dbt_env(config), capture_output=True, text=True, check=False)
    dbt_seconds = time.perf_counter() - started
    sys.stdout.write(completed.stdout[-20_000:])
    if completed.returncode:
        raise SystemExit(f"dbt build (incremental) failed with code {completed.returncode}")
    return {"append_rows": appended["rows"], "append_seconds": round(append_seconds, 3),
            "dbt_seconds": round(dbt_seconds, 3)}


def _baseline(config: BenchConfig) -> dict:
    from bench.baseline import run_baseline

    return run_baseline(config)


PHASES = {"generate": _generate, "load": _load, "publish": _publish, "incremental": _incremental,
          "baseline": _baseline}


def main(argv: list[str]) -> None:
    phase, config_json, out = argv
    config = BenchConfig.from_json(config_json)
    # This process is the phase: its settings are the run's (a child of its own, never an asset's).
    os.environ.update(config.warehouse_env())
    os.environ[settings.WATCHLIST_VAR] = str(config.watchlist)
    result = PHASES[phase](config)
    Path(out).write_text(json.dumps(result, default=str, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
