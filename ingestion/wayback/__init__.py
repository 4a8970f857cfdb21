"""Wayback CDX as a dlt source: archived Social Blade pages per channel → ``raw_wayback.snapshots``.

Phase 2A: which captures of each channel's Social Blade ``/monthly`` page
exist between Sep 2019 and Dec 2022. The scrapers choose and parse pages from
this table. The range is history, so a channel listed completely is not
listed again (resource state), nor is a site the archive has blocked.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

import dlt

from ingestion.coerce import BadValue
from ingestion.http import BlockedError, ChallengeError, CircuitOpenError, ServiceError
from ingestion.rejects import reject
from ingestion.tables import typed
from ingestion.watchlist import watchlist_values
from ingestion.wayback.client import WaybackClient, list_snapshots
from ingestion.wayback.parsers import CdxRow
from ingestion.wayback.settings import DEFAULT_FROM, DEFAULT_TO, SOCIALBLADE_PAGE, SOURCE

log = logging.getLogger("urated.ingestion.wayback")

SNAPSHOT_COLUMNS: dict[str, Any] = {
    "original_url": {"data_type": "text", "nullable": False},
    "timestamp": {"data_type": "text", "nullable": False},
    "channel_id": {"data_type": "text", "nullable": False},
    "urlkey": {"data_type": "text"},
    "mimetype": {"data_type": "text"},
    "statuscode": {"data_type": "text"},
    "digest": {"data_type": "text"},
    "length": {"data_type": "bigint"},
    "snapshot_at": {"data_type": "timestamp", "nullable": False},
}


def snapshot_row(row: CdxRow, channel_id: str) -> dict[str, Any]:
    return {
        "original_url": row.original, "timestamp": row.timestamp, "channel_id": channel_id,
        "urlkey": row.urlkey, "mimetype": row.mimetype, "statuscode": row.statuscode,
        "digest": row.digest, "length": int(row.length) if row.length.isdigit() else None,
        "snapshot_at": row.snapshot_at,
    }


def snapshot_rows(client: WaybackClient, channel_ids: list[str], from_ts: str, to_ts: str) -> Iterator[Any]:
    state = dlt.current.resource_state()
    window = f"{from_ts}-{to_ts}"
    if state.get("window") != window:
        state["window"], state["completed"], state["blocked"] = window, [], []
    done = set(state["completed"]) | set(state["blocked"])
    now = client.clock.now
    for channel_id in channel_ids:
        if channel_id in done:
            continue
        page = SOCIALBLADE_PAGE.format(channel_id=channel_id)
        try:
            rows = list_snapshots(client, page, from_ts, to_ts)
        except BlockedError as exc:
            yield reject(SOURCE, page, f"blocked by the archive, not asked again: {exc}", now())
            state["blocked"].append(channel_id)
            continue
        except ChallengeError as exc:
            yield reject(SOURCE, page, f"challenge page after retries, channel skipped: {exc}", now())
            continue
        except BadValue as exc:
            yield reject(SOURCE, page, f"unreadable CDX answer: {exc}", now())
            continue
        except CircuitOpenError as exc:
            log.error("wayback: stopping, %s; the remaining channels wait for the next run", exc)
            return
        except ServiceError as exc:
            log.error("wayback: %s left for the next run: %s", channel_id, exc)
            continue
        if rows:
            yield typed([snapshot_row(r, channel_id) for r in rows], "snapshots", SNAPSHOT_COLUMNS)
        state["completed"].append(channel_id)


@dlt.source(name="wayback", max_table_nesting=0)
def wayback_source(channel_ids: list[str] | None = None, from_ts: str = DEFAULT_FROM, to_ts: str = DEFAULT_TO,
                   client: WaybackClient | None = None) -> Any:
    """Captures of the watchlist channels' Social Blade pages (or ``channel_ids``)."""

    @dlt.resource(name="snapshots", primary_key=["original_url", "timestamp"], write_disposition="merge")
    def snapshots() -> Iterator[Any]:
        ids = list(dict.fromkeys(channel_ids)) if channel_ids else watchlist_values("youtube_channel_id")
        api = client or WaybackClient()
        try:
            yield from snapshot_rows(api, ids, from_ts, to_ts)
        finally:
            if client is None:
                api.close()

    return snapshots
