"""dlt sources and bulk loaders as Dagster assets keyed `raw/<source>/<table>`.

The sources themselves live in `ingestion/`; this module only wires them: one
`@dlt_assets` per source, every asset in pool `duckdb` (DuckDB has one writer),
with the table's total row count added to each materialization.
"""


import importlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from orchestration.resources import WarehouseResource
from urated import sources as registry
from urated import warehouse

OWNER = "team:data-platform"


@dataclass(frozen=True)
class SourceWiring:
    """How one dlt source becomes assets: where its factory lives and how often it should land."""

    source: str  # dataset raw_<source>, asset keys raw/<source>/<table>
    factory: str  # "module:function" returning a dlt source
    description: str

    @property
    def cadence(self) -> str:
        """daily or weekly, from the registry of metric sources: read by the schedules and freshness."""
        return registry.dataset_cadence(self.source)


DLT_SOURCES: tuple[SourceWiring, ...] = (
    SourceWiring("youtube", "ingestion.youtube:youtube_source",
                 "YouTube Data API v3 channels.list: current subscribers, views and videos of every watchlist channel."),
    SourceWiring("spotify", "ingestion.spotify:spotify_source",
                 "Spotify Web API: artists' followers, popularity and genres; new releases and their tracks."),
    SourceWiring("instagram", "ingestion.instagram:instagram_source",
                 "Instagram Graph API business discovery: followers and media counts of watchlist accounts."),
    SourceWiring("viewstats", "ingestion.viewstats:viewstats_source",
                 "ViewStats: weekly subscribers and views since 2022-08 with the longform/shorts split."),
    SourceWiring("wayback", "ingestion.wayback:wayback_source",
                 "Wayback CDX: which archived Social Blade pages exist for each watchlist channel."),
)


def load_factory(path: str):
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


class UratedDltTranslator(DagsterDltTranslator):
    """Keys `raw/<source>/<table>` that match the dbt sources; descriptions, owners and kinds."""

    def __init__(self, wiring: SourceWiring):
        self.wiring = wiring

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        resource = data.resource
        table = str(resource.table_name) if isinstance(resource.table_name, str) else resource.name
        doc = (spec.description or "").strip()
        return spec.replace_attributes(
            key=dg.AssetKey(["raw", self.wiring.source, table]),
            deps=self._parent_keys(resource),
            group_name=f"raw_{self.wiring.source}",
            description=doc or f"{self.wiring.description} Table `raw_{self.wiring.source}.{table}`.",
            owners=[OWNER],
            kinds={"dlt", "duckdb"},
            tags={**spec.tags, "cadence": self.wiring.cadence},
        )

    def _parent_keys(self, resource) -> Iterable[dg.AssetKey]:
        # A transformer (e.g. album tracks fed by new releases) depends on the resource feeding it.
        if not resource.is_transformer:
            return []
        pipe = resource._pipe  # noqa: SLF001 - dlt exposes the feeding pipe only here
        while pipe.has_parent:
            pipe = pipe.parent
        return [dg.AssetKey(["raw", self.wiring.source, pipe.name])]


def build_source_assets(wiring: SourceWiring) -> dg.AssetsDefinition:
    from ingestion.pipeline import make_pipeline

    source = load_factory(wiring.factory)()
    # Loading definitions must not touch dlt's real state: the webserver, the daemon and every run
    # worker load them, often at once. This pipeline only names the destination and dataset for
    # the asset specs; each run gets the real one.
    metadata_only = make_pipeline(wiring.source, pipelines_dir=Path(tempfile.gettempdir()) / f"urated-dlt-defs-{os.getpid()}")

    @dlt_assets(
        dlt_source=source,
        dlt_pipeline=metadata_only,
        name=f"{wiring.source}_dlt",
        dagster_dlt_translator=UratedDltTranslator(wiring),
        pool="duckdb",
    )
    def _assets(context: dg.AssetExecutionContext, dlt: DagsterDltResource, warehouse: WarehouseResource):
        target = warehouse.target()
        # A fresh source each run: dlt sources are single-use iterators.
        results = list(dlt.run(context=context, dlt_source=load_factory(wiring.factory)(),
                               dlt_pipeline=make_pipeline(wiring.source, warehouse=target)))
        # Count after the load (dagster-dlt's own counter fails when a resumed run had nothing left to load).
        con = target.connect(read_only=True)
        try:
            for result in results:
                yield with_table_row_count(result, con)
        finally:
            con.close()

    return _assets


def with_table_row_count(result: dg.MaterializeResult, con) -> dg.MaterializeResult:
    """Add the raw table's total row count (`dagster/row_count`, plotted by the UI over time)."""
    _, source, table = result.asset_key.path
    rows = warehouse.row_count(con, f"raw_{source}", table)
    metadata = dict(result.metadata or {})
    if rows is not None:
        metadata["dagster/row_count"] = dg.MetadataValue.int(rows)
    return dg.MaterializeResult(asset_key=result.asset_key, metadata=metadata)


def build_dlt_assets() -> list[dg.AssetsDefinition]:
    return [build_source_assets(w) for w in DLT_SOURCES]
