"""The dbt project as Dagster assets: keys by layer, dbt tests as asset checks, declarative rebuilds.

Metadata comes from the dbt project itself (descriptions, `meta`), never from
per-model branches here. Every model rebuilds through declarative automation: once
a collection run has landed new raw data (and nothing upstream is still running),
the automation sensor requests one build of the models downstream of it.
"""


from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import manifest
from orchestration.resources import WarehouseResource
from urated import mart_metadata

LAYERS = ("staging", "intermediate", "marts")
OWNER = "team:analytics-engineering"


def model_layer(props: Mapping[str, Any]) -> str | None:
    """The folder under `models/` a dbt node lives in (staging, intermediate, marts)."""
    path = str(props.get("original_file_path", ""))
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return None


def layer_of(props: Mapping[str, Any]) -> str:
    """The asset key's first part and the UI group: a model's folder, `seeds` for seeds (e.g. the id formats)."""
    if props.get("resource_type") == "seed":
        return "seeds"
    return model_layer(props) or "transform"


def rebuild_condition() -> dg.AutomationCondition:
    """Rebuild when a parent was updated, once nothing upstream is still running (one build per collection)."""
    return dg.AutomationCondition.eager()


class UratedDbtTranslator(DagsterDbtTranslator):
    """`staging/<model>`, `intermediate/<model>`, `marts/<model>`; sources as `raw/<source>/<table>`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        meta_key = (dbt_resource_props.get("meta") or {}).get("dagster", {}).get("asset_key")
        if meta_key:
            return dg.AssetKey(meta_key)
        if dbt_resource_props.get("resource_type") == "source":
            source = str(dbt_resource_props["source_name"]).removeprefix("raw_")
            return dg.AssetKey(["raw", source, dbt_resource_props["name"]])
        return dg.AssetKey([layer_of(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return layer_of(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        return [OWNER]

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        description = (dbt_resource_props.get("description") or "").strip()
        return description or f"dbt {dbt_resource_props.get('resource_type', 'node')} {dbt_resource_props.get('name')}"

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        if dbt_resource_props.get("resource_type") in ("model", "seed", "snapshot"):
            return rebuild_condition()
        return None


def translator() -> UratedDbtTranslator:
    return UratedDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def with_mart_metadata(event: Any, con) -> Any:
    """A mart's materialization gets a preview and the figures the UI plots over time."""
    key = getattr(event, "asset_key", None)
    if key is None and getattr(event, "output_name", None):
        key = dg.AssetKey(str(event.output_name).split("__"))
    if not hasattr(event, "with_metadata") or key is None or key.path[0] != "marts":
        return event
    table = ".".join(key.path[-2:])
    metadata = {**(event.metadata or {}), "preview": dg.MetadataValue.md(mart_metadata.preview(con, table))}
    metadata.update({name: dg.MetadataValue.float(v) for name, v in mart_metadata.figures(con, table).items()})
    return event.with_metadata(metadata)


def build_dbt_assets() -> dg.AssetsDefinition:
    """Every dbt model as an asset in pool `duckdb`; a successful build publishes the readers' snapshot."""

    @dbt_assets(
        manifest=manifest(),
        dagster_dbt_translator=translator(),
        name="dbt_models",
        pool="duckdb",
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        with warehouse.dbt_vars_arg() as dbt_vars:
            invocation = dbt.cli(["build", *dbt_vars], context=context, raise_on_error=False)
            # Row counts come from dagster-dbt (tables only: a view would run its query); on DuckDB
            # it waits for dbt to let go of the file before it counts.
            events = list(invocation.stream().fetch_row_counts())
            release_dbt_adapter(invocation)
        target = warehouse.target()
        con = target.connect(read_only=True)
        try:
            for event in events:
                yield with_mart_metadata(event, con)
        finally:
            con.close()
        if not invocation.is_successful():
            failed = failed_nodes(invocation)
            raise dg.Failure(
                description="dbt build failed: " + "; ".join(f"{name} ({status})" for name, status, _ in failed)[:500],
                metadata={"failed_nodes": dg.MetadataValue.md(
                    "\n".join(f"- **{name}** {status}: {message}" for name, status, message in failed) or "(none reported)")},
            )
        published = target.publish(context.run.run_id)
        context.log.info(f"Published snapshot {published.snapshot.version} for readers in {published.seconds:.1f} s "
                         f"({published.bytes_written:,} bytes written; {target.describe()})")

    return dbt_models


def release_dbt_adapter(invocation: Any) -> None:
    """Close the DuckDB database dagster-dbt's row counts opened in this process, before this process writes.

    Why: DuckDB holds one database per file and process, and the counts open the file read-only
    through dbt-duckdb, which keeps that database for the process (`DuckDBConnectionManager._ENV`)
    until it needs another one; publishing must write the same file.
    """
    adapter = getattr(invocation, "adapter", None)
    if adapter is None:
        return
    adapter.cleanup_connections()
    manager = type(adapter.connections)
    environment = getattr(manager, "_ENV", None)
    if environment is not None:
        environment.close()
        manager._ENV = None  # noqa: SLF001 - the adapter offers no public way to let the file go


def failed_nodes(invocation: Any) -> list[tuple[str, str, str]]:
    """(node, status, message) of every model or test dbt reported as error or fail."""
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except Exception:  # no artifact: dbt died before writing it; the run log has the reason
        return [("dbt", "error", "no run_results.json; see the step's logs")]
    return [
        (r["unique_id"].split(".", 2)[-1], r["status"], (r.get("message") or "")[:300])
        for r in results if r["status"] in ("error", "fail")
    ]
