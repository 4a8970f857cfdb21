"""The one place a dlt pipeline is configured: destination, dataset name, state folder.

Every source lands in the warehouse the storage target names
(``urated.storage.target()``: a DuckDB file or a DuckLake) under the dataset
``raw_<source_name>``, so dbt's ``sources.yml`` and Dagster find the tables where the
contract says they are.
"""

from __future__ import annotations

from pathlib import Path

import dlt

from urated.storage import Target, target


def dataset_name(source_name: str) -> str:
    return f"raw_{source_name}"


def dlt_pipelines_dir(warehouse: Target | None = None) -> Path:
    """dlt's local state (resume markers, schemas) for a warehouse (default: the configured one).

    It belongs to the warehouse it describes, so pointing ``URATED_WAREHOUSE``
    elsewhere never resumes (or skips work because of) another warehouse's state.
    """
    return (warehouse or target()).local_state("dlt")


def make_pipeline(source_name: str, pipelines_dir: Path | None = None,
                  pipeline_name: str | None = None, warehouse: Target | None = None) -> dlt.Pipeline:
    """A pipeline writing ``raw_<source_name>`` in ``warehouse`` (default: the configured one).

    ``pipelines_dir`` holds dlt's local state (resumption markers); by default it
    sits beside the warehouse (:func:`dlt_pipelines_dir`), so each warehouse has its
    own state and nothing leaks between tests.
    """
    warehouse = warehouse or target()
    # A finished load's files are in the warehouse: keeping them (a copy of all of YouNiverse at
    # full scale) would only fill the state folder.
    dlt.config["load.delete_completed_jobs"] = True
    return dlt.pipeline(
        pipeline_name=pipeline_name or f"urated_{source_name}",
        destination=warehouse.dlt_destination(),
        dataset_name=dataset_name(source_name),
        pipelines_dir=str(pipelines_dir or dlt_pipelines_dir(warehouse)),
    )
