"""Bulk history and scraped history as assets: YouNiverse files and the Scrapy spiders.

The YouNiverse load is a dlt load of DuckDB-checked Arrow batches
(`ingestion.youniverse`); the spiders run in their own process (Twisted's
reactor cannot restart inside a long-lived worker) and report their statistics
back as metadata.
"""


from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg

from urated import sources as registry

OWNER = "team:data-platform"


def _metadata(stats: Mapping[str, Any]) -> dict[str, dg.MetadataValue]:
    """Numbers become plottable metadata; anything else is shown as text."""
    out: dict[str, dg.MetadataValue] = {}
    for name, value in stats.items():
        if isinstance(value, bool):
            out[name] = dg.MetadataValue.bool(value)
        elif isinstance(value, int):
            out[name] = dg.MetadataValue.int(value)
        elif isinstance(value, float):
            out[name] = dg.MetadataValue.float(value)
        elif isinstance(value, (dict, list)):
            out[name] = dg.MetadataValue.json(value)
        else:
            out[name] = dg.MetadataValue.text(str(value))
    return out


@dg.multi_asset(
    name="youniverse_history",
    specs=[
        dg.AssetSpec(["raw", "youniverse", "channels"], group_name="raw_youniverse", owners=[OWNER],
                     kinds={"dlt", "duckdb"}, tags={"cadence": registry.raw_asset_cadence("raw/youniverse/channels")},
                     description="YouNiverse df_channels_en: one row per channel (category, join date, "
                                 "name, subscribers and videos at crawl time), loaded columnar."),
        dg.AssetSpec(["raw", "youniverse", "timeseries"], group_name="raw_youniverse", owners=[OWNER],
                     kinds={"dlt", "duckdb"}, tags={"cadence": registry.raw_asset_cadence("raw/youniverse/timeseries")},
                     description="YouNiverse df_timeseries_en: weekly views, subscribers and videos per "
                                 "channel, 2015 – Sep 2019; duplicate rows dropped, shifted rows rejected."),
    ],
    pool="duckdb",
)
def youniverse_history(context: dg.AssetExecutionContext):
    """Load the YouNiverse dataset files from URATED_YOUNIVERSE_DIR."""
    from ingestion.youniverse import load_youniverse

    stats = load_youniverse()
    context.log.info(f"YouNiverse load: {stats}")
    meta = _metadata(stats)
    yield dg.MaterializeResult(asset_key=["raw", "youniverse", "channels"], metadata=meta)
    yield dg.MaterializeResult(asset_key=["raw", "youniverse", "timeseries"], metadata=meta)


def _spider_asset(spider: str, key: list[str], description: str,
                  deps: Sequence[dg.AssetKey] = ()) -> dg.AssetsDefinition:
    @dg.asset(
        key=key,
        deps=deps,
        group_name=f"raw_{key[1]}",
        owners=[OWNER],
        kinds={"scrapy", "dlt", "duckdb"},
        tags={"cadence": registry.raw_asset_cadence("/".join(key))},
        description=description,
        pool="duckdb",
    )
    def _crawl(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        from scrapers.runner import run_spider_subprocess

        stats = run_spider_subprocess(spider)
        context.log.info(f"Spider {spider}: {stats}")
        return dg.MaterializeResult(metadata=_metadata(stats))

    return _crawl


socialblade_history = _spider_asset(
    "socialblade", ["raw", "socialblade", "points"],
    "Weekly subscribers, views and videos 2019-09 … 2022-12 parsed from archived Social Blade pages "
    "(Wayback Machine), the fewest snapshots that cover every week; each point keeps its snapshot URL. "
    "The snapshots are the ones raw/wayback/snapshots listed (phase 2A → 2B).",
    deps=[dg.AssetKey(["raw", "wayback", "snapshots"])],
)
spotify_artist_pages = _spider_asset(
    "spotify_pages", ["raw", "spotify_web", "monthly_listeners"],
    "Monthly listeners read from each watchlist artist's public Spotify page, one point per artist per day.",
)
