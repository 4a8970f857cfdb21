"""Prepare the persistent Dagster instance used by `make ui` (DAGSTER_HOME under data/).

Its dagster.yaml declares the `duckdb` concurrency pool with one slot: DuckDB
allows a single writing process, so runs that write the warehouse queue
instead of failing on the file lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from urated import settings

POOL = "duckdb"
POOL_SLOTS = 1

DAGSTER_YAML = f"""\
# Written by `python -m orchestration.instance` (make ui). Edit freely; it is not overwritten.
concurrency:
  pools:
    # Every pool defaults to one slot; the warehouse writers share pool `{POOL}`.
    default_limit: {POOL_SLOTS}
  runs:
    max_concurrent_runs: 4
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
telemetry:
  enabled: false
"""


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or settings.DATA_DIR / "dagster_home").resolve()


def prepare_instance() -> Path:
    """Write dagster.yaml if missing and pin the `duckdb` pool to one slot."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)

    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        instance.event_log_storage.set_concurrency_slots(POOL, POOL_SLOTS)
    return config


if __name__ == "__main__":
    path = prepare_instance()
    print(f"Dagster instance ready: {path} (pool '{POOL}' limited to {POOL_SLOTS} slot)")
