"""The one place a dlt pipeline is configured: destination, dataset name, state folder.

Every source lands in the DuckDB file named by ``urated.settings.warehouse_path()``
under the dataset ``raw_<source_name>``, so dbt's ``sources.yml`` and the Dagster
DuckDB resource find the tables where the contract says they are.
"""

from __future__ import annotations

from pathlib import Path

import dlt

from urated.settings import dlt_pipelines_dir, warehouse_path


def dataset_name(source_name: str) -> str:
    return f"raw_{source_name}"


def make_pipeline(source_name: str, pipelines_dir: Path | None = None,
                  pipeline_name: str | None = None) -> dlt.Pipeline:
    """A pipeline writing ``raw_<source_name>`` in the warehouse.

    ``pipelines_dir`` holds dlt's local state (resumption markers); by default it
    sits next to the warehouse (``settings.dlt_pipelines_dir()``), so each
    warehouse has its own state and nothing leaks between tests.
    """
    warehouse = warehouse_path()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=pipeline_name or f"urated_{source_name}",
        destination=dlt.destinations.duckdb(str(warehouse)),
        dataset_name=dataset_name(source_name),
        pipelines_dir=str(pipelines_dir or dlt_pipelines_dir()),
    )
