"""Resources shared by the assets: dlt runner and dbt CLI, both reading the one settings module."""

from __future__ import annotations

from typing import Any


def resources() -> dict[str, Any]:
    from orchestration.assets.ingestion import dlt_resource
    from orchestration.assets.transform import dbt_resource

    return {"dlt": dlt_resource(), "dbt": dbt_resource()}
