"""The dbt project as Dagster assets: keys by layer, dbt tests as asset checks.

Metadata comes from the dbt project itself (descriptions, `meta`), never from
per-model branches here.
"""


from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_executable, ensure_manifest, export_settings_for_dbt
from urated import mart_metadata, settings, warehouse

LAYERS = ("staging", "intermediate", "marts")
OWNER = "team:analytics-engineering"


def model_layer(props: Mapping[str, Any]) -> str | None:
    """The folder under `models/` a dbt node lives in (staging, intermediate, marts)."""
    path = str(props.get("original_file_path", ""))
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return None


class UratedDbtTranslator(DagsterDbtTranslator):
    """`staging/<model>`, `intermediate/<model>`, `marts/<model>`; sources as `raw/<source>/<table>`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        meta_key = (dbt_resource_props.get("meta") or {}).get("dagster", {}).get("asset_key")
        if meta_key:
            return dg.AssetKey(meta_key)
        if dbt_resource_props.get("resource_type") == "source":
            source = str(dbt_resource_props["source_name"]).removeprefix("raw_")
            return dg.AssetKey(["raw", source, dbt_resource_props["name"]])
        layer = model_layer(dbt_resource_props) or "transform"
        return dg.AssetKey([layer, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return model_layer(dbt_resource_props) or "transform"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        return [OWNER]

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        description = (dbt_resource_props.get("description") or "").strip()
        return description or f"dbt {dbt_resource_props.get('resource_type', 'node')} {dbt_resource_props.get('name')}"


def translator() -> UratedDbtTranslator:
    return UratedDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=str(settings.TRANSFORM_DIR),
        profiles_dir=str(settings.TRANSFORM_DIR),
        dbt_executable=dbt_executable(),
    )


def with_table_metadata(event: Any, counts: Mapping[str, int], con) -> Any:
    """Add the table's row count to a model's materialization and, for marts, a preview and figures."""
    key = getattr(event, "asset_key", None) or getattr(event, "output_name", None)
    if not hasattr(event, "with_metadata") or key is None:
        return event
    path = key.path if isinstance(key, dg.AssetKey) else str(key).split("__")
    table = ".".join(path[-2:]) if len(path) >= 2 else None
    if table not in counts:
        return event
    metadata = {**(event.metadata or {}), "dagster/row_count": dg.MetadataValue.int(counts[table])}
    if table.startswith("marts."):
        metadata["preview"] = dg.MetadataValue.md(mart_metadata.preview(con, table))
        metadata.update({name: dg.MetadataValue.float(v) for name, v in mart_metadata.figures(con, table).items()})
    return event.with_metadata(metadata)


def build_dbt_assets() -> dg.AssetsDefinition:
    """Every dbt model as an asset in pool `duckdb`; a successful build republishes the readers' copy."""

    @dbt_assets(
        manifest=ensure_manifest(),
        dagster_dbt_translator=translator(),
        name="dbt_models",
        pool="duckdb",
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        # Buffer the events so row counts are read after dbt (another process) let go of the file.
        export_settings_for_dbt()
        invocation = dbt.cli(["build"], context=context, raise_on_error=False)
        try:
            events = list(invocation.stream())
        finally:
            invocation.process.wait()  # never leave dbt writing the file behind us
        with warehouse.connect(read_only=True) as con:
            counts = warehouse.table_row_counts(con)
            for event in events:
                yield with_table_metadata(event, counts, con)
        if not invocation.is_successful():
            failed = failed_nodes(invocation)
            raise dg.Failure(
                description="dbt build failed: " + "; ".join(f"{name} ({status})" for name, status, _ in failed)[:500],
                metadata={"failed_nodes": dg.MetadataValue.md(
                    "\n".join(f"- **{name}** {status}: {message}" for name, status, message in failed) or "(none reported)")},
            )
        published = warehouse.publish_reader_copy()
        context.log.info(f"Published the analysts' read-only copy at {published}")

    return dbt_models


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
