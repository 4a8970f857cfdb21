"""The dbt command line the benchmark times, pointed at the benchmark's warehouse.

dbt runs as its own process (as Dagster runs it): its peak memory is then the
phase's own. Each phase has its own target folder (the baseline reads the full
build's compiled SQL); dbt's partial-parse file is carried from one to the next
so later phases do not pay for parsing the project again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

from bench.config import BenchConfig
from orchestration.dbt_project import dbt_vars
from urated import settings, storage

DBT = str(Path(sys.executable).with_name("dbt"))
PARTIAL_PARSE = "partial_parse.msgpack"
DBT_LOG = "dbt.log"
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


def dbt_command(config: BenchConfig, phase: str, args: list[str], warehouse: storage.Target | None = None) -> list[str]:
    """``dbt <args>`` with the project, profile, and this phase's target and log folders.

    ``warehouse``: another warehouse than the run's (the pandas race builds fct_growth in its own).
    The log file is JSON, so :func:`node_timings` can attribute every statement to its model.
    """
    target = config.dbt_target(phase)
    target.mkdir(parents=True, exist_ok=True)
    previous = sorted(config.dbt_target("").glob(f"*/{PARTIAL_PARSE}"), key=lambda p: p.stat().st_mtime)
    if previous and not (target / PARTIAL_PARSE).exists():
        shutil.copy(previous[-1], target / PARTIAL_PARSE)
    (target / "logs" / DBT_LOG).unlink(missing_ok=True)  # this invocation's statements only
    vars_ = dbt_vars(warehouse or config.storage(), str(config.watchlist))
    return [DBT, *args, "--project-dir", str(settings.TRANSFORM_DIR), "--profiles-dir", str(settings.TRANSFORM_DIR),
            "--target-path", str(target), "--log-path", str(target / "logs"), "--log-format-file", "json",
            "--vars", json.dumps(vars_)]


# dbt's bookkeeping around a model's own SQL: opening transactions, catalog look-ups, docs as
# comments, the swap of the new relation for the old. Its time is part of dbt's fixed cost per
# model. A COMMIT is the model's own: it is where its rows are written (a DuckLake's Parquet files).
BOOKKEEPING = re.compile(
    r"^(begin|rollback|select version\(\)|comment on |alter (table|view) .* rename |drop (table|view) "
    r"|select .* from (duckdb_\w+\(\)|information_schema\.|system\.)|select column_name, column_type )",
    re.IGNORECASE | re.DOTALL)


def statement_seconds(log: Path) -> dict[str, dict[str, float]]:
    """Per node, the seconds its statements took in the warehouse (dbt's JSON log): all, and its own SQL.

    "Own" is every statement but dbt's bookkeeping (:data:`BOOKKEEPING`): the model's SQL and the
    queries its macros run to render it (an incremental model's bounds).
    """
    totals: dict[str, dict[str, float]] = {}
    pending: dict[str, str] = {}  # thread -> the statement it is running
    if not log.exists():
        return totals
    for line in log.read_text(errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        name, data = event["info"]["name"], event.get("data", {})
        node = (data.get("node_info") or {}).get("unique_id")
        if not node:
            continue
        thread = event["info"].get("thread", "")
        if name == "SQLQuery":
            pending[thread] = re.sub(r"/\*.*?\*/", "", data.get("sql", ""), count=1, flags=re.DOTALL).strip()
        elif name == "SQLQueryStatus":
            seconds = float(data.get("elapsed") or 0.0)
            node_totals = totals.setdefault(node, {"sql": 0.0, "own_sql": 0.0})
            node_totals["sql"] += seconds
            if not BOOKKEEPING.match(pending.pop(thread, "")):
                node_totals["own_sql"] += seconds
    return totals


def _short(unique_id: str) -> str:
    return unique_id.split(".", 2)[-1] if unique_id.startswith("model.") else unique_id


def node_timings(config: BenchConfig, phase: str) -> list[dict]:
    """Every node dbt ran in a phase, slowest first: where the phase's time went.

    ``seconds`` is dbt's time for the node (run_results' execution_time); ``sql_seconds`` its
    statements' time in the warehouse, ``own_sql_seconds`` those of the model itself (without dbt's
    bookkeeping), and ``dbt_overhead_seconds`` the rest of ``seconds``: dbt's fixed cost for the node.
    """
    path = config.dbt_target(phase) / "run_results.json"
    if not path.exists():
        return []
    statements = statement_seconds(config.dbt_target(phase) / "logs" / DBT_LOG)
    rows = []
    for r in json.loads(path.read_text())["results"]:
        seconds = float(r.get("execution_time") or 0.0)
        row = {"node": _short(r["unique_id"]), "kind": r["unique_id"].split(".", 1)[0], "status": r["status"],
               "seconds": round(seconds, 3)}
        if r["unique_id"] in statements:
            sql = statements[r["unique_id"]]
            row |= {"sql_seconds": round(sql["sql"], 3), "own_sql_seconds": round(sql["own_sql"], 3),
                    "dbt_overhead_seconds": round(max(seconds - sql["own_sql"], 0.0), 3)}
        rows.append(row)
    return sorted(rows, key=lambda r: -r["seconds"])


def invocation_seconds(config: BenchConfig, phase: str) -> float | None:
    """dbt's own clock for running the nodes (run_results' elapsed_time): the wall time less startup and parsing."""
    path = config.dbt_target(phase) / "run_results.json"
    if not path.exists():
        return None
    return round(float(json.loads(path.read_text()).get("elapsed_time") or 0.0), 3)


def compiled_sql(config: BenchConfig, phase: str, model: str) -> str:
    """The SQL dbt compiled for ``model`` in ``phase`` (the model as the warehouse ran it)."""
    matches = list((config.dbt_target(phase) / "compiled").rglob(f"{model}.sql"))
    if not matches:
        raise FileNotFoundError(f"dbt compiled no {model}.sql in phase {phase}")
    return matches[0].read_text()
