"""Scraped rows into DuckDB through dlt, in the crawling process.

``raw_socialblade.points`` and ``raw_spotify_web.monthly_listeners`` merge on
their natural keys, so a re-run adds no rows; each dataset's ``rejects`` table
carries the page URL and merges on the problem (source, key, URL, reason), so a
page that is still broken on the next crawl updates its row instead of adding one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt

from ingestion.pipeline import make_pipeline
from ingestion.rejects import REJECT_COLUMNS, reject_row
from urated import settings

POINT_COLUMNS: dict[str, Any] = {
    "channel_id": {"data_type": "text", "nullable": False},
    "metric": {"data_type": "text", "nullable": False},
    "observed_on": {"data_type": "date", "nullable": False},
    "value": {"data_type": "bigint", "nullable": False},
    # Within one load the later snapshot's value wins for a repeated week.
    "snapshot_timestamp": {"data_type": "timestamp", "nullable": False, "dedup_sort": "desc"},
    "snapshot_url": {"data_type": "text", "nullable": False},
    "parser": {"data_type": "text", "nullable": False},
    "quality": {"data_type": "text", "nullable": False},
}
LISTENER_COLUMNS: dict[str, Any] = {
    "artist_id": {"data_type": "text", "nullable": False},
    "observed_on": {"data_type": "date", "nullable": False},
    "monthly_listeners": {"data_type": "bigint", "nullable": False},
    "page_url": {"data_type": "text", "nullable": False},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}
SCRAPED_REJECT_COLUMNS: dict[str, Any] = {
    **REJECT_COLUMNS,
    "snapshot_url": {"data_type": "text", "nullable": False},
    "key": {"data_type": "text", "nullable": False},
}
# A scraped page's problem is a fact about that page, met again on every crawl: one row per
# problem (its rejected_at updated), not one per crawl.
SCRAPED_REJECT_KEY = ("source", "key", "snapshot_url", "reason")

# dataset (raw_<name>) → (data table, its natural key, its columns)
TABLES: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {
    "socialblade": ("points", ("channel_id", "metric", "observed_on"), POINT_COLUMNS),
    "spotify_web": ("monthly_listeners", ("artist_id", "observed_on"), LISTENER_COLUMNS),
}


def canonical_archive_url(url: str) -> str:
    """The capture's URL on the real Wayback host, whichever host served it.

    A capture is the same capture whether the sandbox (on a random loopback port) or
    web.archive.org answered, so rejects name it in the one form that never changes.
    """
    served_from = settings.service_url("wayback")
    if url and url.startswith(served_from):
        return settings.SERVICES["wayback"].default_url + url[len(served_from):]
    return url or ""


def reject_record(source: str, payload: str, reason: str, rejected_at, snapshot_url: str, key: str = "") -> dict:
    """The shared reject shape (secrets masked, payload cut) plus the page it came from."""
    return {**reject_row(source, payload, reason, rejected_at), "snapshot_url": canonical_archive_url(snapshot_url),
            "key": key or ""}


def load_rows(source_name: str, rows: list[dict], rejects: list[dict], pipelines_dir: Path | None = None) -> int:
    """Load one batch; returns the number of rows written (data + rejects)."""
    if not rows and not rejects:
        return 0
    table, key, columns = TABLES[source_name]
    resources = []
    if rows:
        resources.append(dlt.resource(rows, name=table, table_name=table, write_disposition="merge",
                                      primary_key=key, columns=columns))
    if rejects:
        resources.append(dlt.resource(rejects, name="rejects", table_name="rejects", write_disposition="merge",
                                      primary_key=SCRAPED_REJECT_KEY, columns=SCRAPED_REJECT_COLUMNS))
    pipeline = make_pipeline(source_name, pipelines_dir=pipelines_dir)
    pipeline.run(resources)
    counts = pipeline.last_trace.last_normalize_info.row_counts
    return sum(n for name, n in counts.items() if not name.startswith("_dlt"))
