"""ViewStats as a dlt source: weekly history since 2022-08-07 → ``raw_viewstats.weekly``.

Phase 3 of the collection, with the longform/shorts split. Anti-bot pages are
retried with long waits; a channel still challenged is written to ``rejects``
and skipped, and because the resource state marks only *completed* channels,
the next run picks it up again. Completed channels are later fetched from
their last collected week onwards (re-reading that week, which may have been
partial), so runs stay cheap and merge on (channel_id, observed_on).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Iterator

import dlt

from ingestion.http import ChallengeError, CircuitOpenError, ClientError, ServiceError
from ingestion.rejects import fetch_or_reject, reject
from ingestion.tables import typed
from ingestion.viewstats.client import ViewStatsClient
from ingestion.viewstats.parsers import parse_weekly
from ingestion.viewstats.settings import HISTORY_START, SOURCE
from ingestion.watchlist import ids_to_collect

log = logging.getLogger("urated.ingestion.viewstats")

WEEKLY_COLUMNS: dict[str, Any] = {
    "channel_id": {"data_type": "text", "nullable": False},
    "observed_on": {"data_type": "date", "nullable": False},
    "subscribers": {"data_type": "bigint"},
    "views": {"data_type": "bigint"},
    "longform_views": {"data_type": "bigint"},
    "shorts_views": {"data_type": "bigint"},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}


def weekly_rows(client: ViewStatsClient, channel_ids: list[str]) -> Iterator[Any]:
    state = dlt.current.resource_state()
    completed: dict[str, str] = state.setdefault("completed", {})
    now = client.clock.now
    today = now().date()
    for channel_id in channel_ids:
        start = date.fromisoformat(completed[channel_id]) if channel_id in completed else HISTORY_START
        try:
            payload = yield from fetch_or_reject(lambda: client.weekly(channel_id, start, today),
                                                 SOURCE, f"weekly {channel_id}", now)
        except ChallengeError as exc:
            yield reject(SOURCE, channel_id, f"challenge page after retries, channel skipped: {exc}", now())
            continue
        except CircuitOpenError as exc:
            log.error("viewstats: stopping, %s; the remaining channels wait for the next run", exc)
            return
        except ClientError as exc:
            if exc.is_auth:
                raise
            yield reject(SOURCE, exc.body, f"channel {channel_id} not served (HTTP {exc.status})", now())
            continue
        except ServiceError as exc:
            log.error("viewstats: channel %s left for the next run: %s", channel_id, exc)
            continue
        if payload is None:
            continue
        parsed = parse_weekly(payload, channel_id, now())
        for bad, reason in parsed.rejects:
            yield reject(SOURCE, bad, reason, now())
        if parsed.rows:
            yield typed(parsed.rows, "weekly", WEEKLY_COLUMNS)
            completed[channel_id] = max(r["observed_on"] for r in parsed.rows).isoformat()
        elif not parsed.rejects:
            completed[channel_id] = start.isoformat()  # answered, simply no weeks yet


@dlt.source(name="viewstats", max_table_nesting=0)
def viewstats_source(channel_ids: list[str] | None = None, client: ViewStatsClient | None = None) -> Any:
    """Weekly ViewStats metrics of the watchlist's YouTube channels (or ``channel_ids``)."""

    @dlt.resource(name="weekly", primary_key=["channel_id", "observed_on"], write_disposition="merge")
    def weekly() -> Iterator[Any]:
        ids = ids_to_collect("youtube_channel_id", channel_ids)
        api = client or ViewStatsClient()
        try:
            yield from weekly_rows(api, ids)
        finally:
            if client is None:
                api.close()

    return weekly
