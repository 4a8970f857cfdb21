"""Wayback CDX as a dlt source: archived Social Blade pages per channel → ``raw_wayback.snapshots``.

Phase 2A: which captures of each channel's Social Blade ``/monthly`` page
exist from Sep 2019 until the last capture that can still show Dec 2022. The
Social Blade spider (phase 2B) chooses the pages it fetches from this table.
The range is history, so a channel listed completely is not listed again
(resource state), nor is a site the archive has blocked. An index line that is
not a capture is a reject; a page that stays unreadable leaves the channel for
the next run, never half-listed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable, Iterator

import dlt
import duckdb

from ingestion.http import BlockedError, ChallengeError, CircuitOpenError, ServiceError
from ingestion.rejects import reject
from ingestion.tables import typed
from ingestion.watchlist import ids_to_collect
from ingestion.wayback.client import CdxListing, UnreadableListing, WaybackClient, list_snapshots
from ingestion.wayback.parsers import CdxRow
from ingestion.wayback.settings import DEFAULT_FROM, DEFAULT_TO, SOCIALBLADE_PAGE, SOURCE
from urated import warehouse

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


def listing_rejects(listing: CdxListing, page: str, now: Callable[[], datetime]) -> Iterator[Any]:
    """A reject for every index line that was not a capture and every page that had to be fetched again."""
    for bad in listing.bad_rows:
        yield reject(SOURCE, bad.line, f"CDX line of {page} is not a capture: {bad.reason}", now())
    for body, reason in listing.unreadable_pages:
        yield reject(SOURCE, body, f"CDX page of {page} unreadable: {reason}", now())


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
            listing = list_snapshots(client, page, from_ts, to_ts)
        except UnreadableListing as exc:
            yield from listing_rejects(exc.listing, page, now)
            log.error("wayback: %s left for the next run: %s", channel_id, exc)
            continue
        except BlockedError as exc:
            yield reject(SOURCE, page, f"blocked by the archive, not asked again: {exc}", now())
            state["blocked"].append(channel_id)
            continue
        except ChallengeError as exc:
            yield reject(SOURCE, page, f"challenge page after retries, channel skipped: {exc}", now())
            continue
        except CircuitOpenError as exc:
            log.error("wayback: stopping, %s; the remaining channels wait for the next run", exc)
            return
        except ServiceError as exc:
            log.error("wayback: %s left for the next run: %s", channel_id, exc)
            continue
        yield from listing_rejects(listing, page, now)
        if listing.rows:
            yield typed([snapshot_row(r, channel_id) for r in listing.rows], "snapshots", SNAPSHOT_COLUMNS)
        state["completed"].append(channel_id)


@dlt.source(name="wayback", max_table_nesting=0)
def wayback_source(channel_ids: list[str] | None = None, from_ts: str = DEFAULT_FROM, to_ts: str = DEFAULT_TO,
                   client: WaybackClient | None = None) -> Any:
    """Captures of the watchlist channels' Social Blade pages (or ``channel_ids``)."""

    @dlt.resource(name="snapshots", primary_key=["original_url", "timestamp"], write_disposition="merge")
    def snapshots() -> Iterator[Any]:
        ids = ids_to_collect("youtube_channel_id", channel_ids)
        api = client or WaybackClient()
        try:
            yield from snapshot_rows(api, ids, from_ts, to_ts)
        finally:
            if client is None:
                api.close()

    return snapshots


class SnapshotsNotListedError(RuntimeError):
    """``raw_wayback.snapshots`` does not exist yet: phase 2A has not run against this warehouse."""


STORED_CAPTURES_SQL = """
    select channel_id, urlkey, timestamp, original_url, mimetype, statuscode, digest, length
    from raw_wayback.snapshots
    where list_contains(?, channel_id)
    order by channel_id, timestamp
"""


def stored_captures(channel_ids: list[str]) -> dict[str, list[CdxRow]]:
    """The captures this source stored for each channel (phase 2A), as the CDX rows they came from.

    Every channel asked for has an entry; one the table has no capture of maps to an
    empty list. The connection is closed before returning, so the caller may write
    the warehouse afterwards.
    """
    captures: dict[str, list[CdxRow]] = {c: [] for c in channel_ids}
    try:
        with warehouse.connect(read_only=True) as con:
            rows = con.execute(STORED_CAPTURES_SQL, [list(channel_ids)]).fetchall()
    except (duckdb.CatalogException, duckdb.IOException) as exc:
        raise SnapshotsNotListedError(
            "raw_wayback.snapshots cannot be read: materialize raw/wayback/snapshots (the Wayback CDX "
            f"listing) before the Social Blade pages. DuckDB said: {exc}"
        ) from exc
    for channel_id, urlkey, timestamp, original, mimetype, statuscode, digest, length in rows:
        captures[channel_id].append(CdxRow(urlkey or "", timestamp, original, mimetype or "", statuscode or "",
                                           digest or "", "" if length is None else str(length)))
    return captures
