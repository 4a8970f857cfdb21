"""Resources the assets receive: where the warehouse is, dlt's runner and dbt's CLI.

Settings reach assets as a resource (shown in the UI's resource page, each value
sourced from its environment variable), never by an asset editing ``os.environ``.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource

from urated import settings, storage


def _from_env(var: str) -> Any:
    """The variable as a Dagster ``EnvVar`` when it is set (the UI says where it came from), else empty."""
    return dg.EnvVar(var) if os.environ.get(var) else ""


class WarehouseResource(dg.ConfigurableResource):
    """Where the warehouse lives (a DuckDB file or a DuckLake) and the watchlist dbt reads.

    Empty fields mean the documented defaults (``data/warehouse.duckdb``, 4 lake writers).
    """

    warehouse: str = ""
    lake_data_path: str = ""
    lake_writers: str = ""
    watchlist: str = ""

    @classmethod
    def from_environment(cls) -> "WarehouseResource":
        return cls(warehouse=_from_env(settings.WAREHOUSE_VAR), lake_data_path=_from_env(storage.LAKE_DATA_PATH_VAR),
                   lake_writers=_from_env(storage.LAKE_WRITERS_VAR), watchlist=_from_env(settings.WATCHLIST_VAR))

    def target(self) -> storage.Target:
        return storage.parse_target(self.warehouse, self.lake_data_path, self.lake_writers)

    @contextmanager
    def dbt_vars_arg(self) -> Iterator[list[str]]:
        """``--vars`` for one dbt invocation: how its profile opens this warehouse, which watchlist it reads.

        dbt's session database (if the target needs one) lives in a scratch folder removed afterwards.
        """
        from orchestration.dbt_project import dbt_vars

        with tempfile.TemporaryDirectory(prefix="urated-dbt-") as session_dir:
            yield ["--vars", json.dumps(dbt_vars(self.target(), self.watchlist or None, Path(session_dir)))]


def dbt_cli() -> DbtCliResource:
    from orchestration.dbt_project import dbt_project

    from orchestration.dbt_project import dbt_executable

    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(settings.TRANSFORM_DIR),
                          dbt_executable=dbt_executable())


def resources() -> dict[str, Any]:
    return {"dlt": DagsterDltResource(), "dbt": dbt_cli(), "warehouse": WarehouseResource.from_environment()}
