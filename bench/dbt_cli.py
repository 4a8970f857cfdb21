"""The dbt command line the benchmark times, pointed at the benchmark's warehouse.

dbt runs as its own process (as Dagster runs it): its peak memory is then the
phase's own. Each phase has its own target folder (the baseline reads the full
build's compiled SQL); dbt's partial-parse file is carried from one to the next
so later phases do not pay for parsing the project again.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from bench.config import BenchConfig
from orchestration.dbt_project import dbt_vars
from urated import settings

DBT = str(Path(sys.executable).with_name("dbt"))
PARTIAL_PARSE = "partial_parse.msgpack"
# The anomaly models are timed on their own (phase "anomalies"), not in the mart build.
ANOMALY_MODELS = ("int_anomalies__features", "fct_anomalies")
# Left out of the benchmark's test phase:
# - dbt unit tests run on fixed fixture rows: their cost does not grow with the data;
# - the systemic-junction gate: the benchmark's world has one history source (YouNiverse
#   files for all ten years), so there is no hand-over to another source and the gate
#   would call every channel's junction broken.
NOT_AT_SCALE = ("resource_type:unit_test", "test_name:junction_holds_for_most_channels")


def build_args(phase: str) -> list[str]:
    """What each dbt phase runs. Builds time the models; their data tests are a phase of their own."""
    if phase == "build":
        # The models and the seeds they read (the watchlist's id formats), without their tests.
        return ["build", "--full-refresh", "--resource-type", "model", "--resource-type", "seed",
                "--exclude", *ANOMALY_MODELS]
    if phase == "tests":
        return ["test", "--exclude", *ANOMALY_MODELS, *NOT_AT_SCALE]
    if phase == "incremental":
        return ["run", "--exclude", *ANOMALY_MODELS]
    if phase == "anomalies":
        return ["run", "--select", *ANOMALY_MODELS]
    raise ValueError(f"no dbt phase {phase!r}")


def dbt_env(config: BenchConfig) -> dict[str, str]:
    """The environment a phase runs in: its warehouse and watchlist, DuckDB's memory limit, growth history."""
    return {
        **os.environ,
        **config.warehouse_env(),
        settings.WATCHLIST_VAR: str(config.watchlist),
        "URATED_DUCKDB_MEMORY": config.duckdb_memory_limit,
        "URATED_GROWTH_HISTORY_WEEKS": "" if config.growth_history_weeks is None else str(config.growth_history_weeks),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt_command(config: BenchConfig, phase: str, args: list[str]) -> list[str]:
    """``dbt <args>`` with the project, profile, and this phase's target and log folders."""
    target = config.dbt_target(phase)
    target.mkdir(parents=True, exist_ok=True)
    previous = sorted(config.dbt_target("").glob(f"*/{PARTIAL_PARSE}"))
    if previous and not (target / PARTIAL_PARSE).exists():
        shutil.copy(previous[0], target / PARTIAL_PARSE)
    vars_ = dbt_vars(config.storage(), str(config.watchlist))
    return [DBT, *args, "--project-dir", str(settings.TRANSFORM_DIR), "--profiles-dir", str(settings.TRANSFORM_DIR),
            "--target-path", str(target), "--log-path", str(target / "logs"), "--vars", json.dumps(vars_)]


def node_timings(config: BenchConfig, phase: str) -> list[dict]:
    """Every node dbt ran in a phase, slowest first: where the phase's time went."""
    path = config.dbt_target(phase) / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text())["results"]
    rows = [{"node": r["unique_id"].split(".", 2)[-1] if r["unique_id"].startswith("model.") else r["unique_id"],
             "kind": r["unique_id"].split(".", 1)[0], "status": r["status"],
             "seconds": round(float(r.get("execution_time") or 0.0), 3)} for r in results]
    return sorted(rows, key=lambda r: -r["seconds"])


def compiled_sql(config: BenchConfig, phase: str, model: str) -> str:
    """The SQL dbt compiled for ``model`` in ``phase`` (the model as the warehouse ran it)."""
    matches = list((config.dbt_target(phase) / "compiled").rglob(f"{model}.sql"))
    if not matches:
        raise FileNotFoundError(f"dbt compiled no {model}.sql in phase {phase}")
    return matches[0].read_text()
