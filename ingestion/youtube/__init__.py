"""YouTube Data API v3 as a dlt source: ``raw_youtube.channels`` (+ ``rejects``).

Phases 1 and 4 of the collection: one ``channels.list`` call per 50 watchlist
channels. Resumable within an observation day (or week in weekly mode): the
ids already collected for that ``observed_on`` live in the resource state, so
a run stopped by quota exhaustion continues where it stopped and never pays
twice for a batch.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, Iterator

import dlt

from ingestion.coerce import week_ending_sunday
from ingestion.http import CircuitOpenError, ClientError, QuotaExhaustedError, ServiceError
from ingestion.rejects import fetch_or_reject, reject
from ingestion.tables import typed
from ingestion.watchlist import ids_to_collect
from ingestion.youtube.client import YouTubeClient
from ingestion.youtube.parsers import parse_channels
from ingestion.youtube.settings import BATCH_SIZE, SOURCE, WEEKLY_SKIP_WEEKDAYS

log = logging.getLogger("urated.ingestion.youtube")

CHANNEL_COLUMNS: dict[str, Any] = {
    "channel_id": {"data_type": "text", "nullable": False},
    "observed_on": {"data_type": "date", "nullable": False},
    "title": {"data_type": "text"},
    "custom_url": {"data_type": "text"},
    "country": {"data_type": "text"},
    "published_at": {"data_type": "timestamp"},
    "subscriber_count": {"data_type": "bigint"},
    "view_count": {"data_type": "bigint"},
    "video_count": {"data_type": "bigint"},
    "hidden_subscriber_count": {"data_type": "bool"},
    "privacy_status": {"data_type": "text"},
    "is_active": {"data_type": "bool", "nullable": False},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}


def observation_day(now: datetime, weekly: bool) -> date | None:
    """The ``observed_on`` stamp for a run at ``now``; None when weekly mode must wait."""
    today = now.date()
    if not weekly:
        return today
    if today.weekday() in WEEKLY_SKIP_WEEKDAYS:
        return None
    return week_ending_sunday(today)


def _chunks(ids: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _resume_state(state: dict[str, Any], observed_on: date) -> set[str]:
    """Ids already collected for this ``observed_on``; older days are forgotten."""
    key = observed_on.isoformat()
    if state.get("observed_on") != key:
        state["observed_on"], state["done_ids"] = key, []
    return set(state["done_ids"])


def _sync_quota(client: YouTubeClient, state: dict[str, Any]) -> None:
    """Seed the client's daily budget from what earlier runs spent today (Pacific day)."""
    quota = client.http.quota
    saved = state.get("quota") or {}
    if quota is not None and saved.get("day") == quota.day:
        quota.used = max(quota.used, int(saved.get("used", 0)))
    blocked = saved.get("blocked_until")
    if blocked and datetime.fromisoformat(blocked) > client.clock.now():
        client.http.breaker.open(datetime.fromisoformat(blocked), saved.get("blocked_reason", "quota"), quota=True)


def _save_quota(client: YouTubeClient, state: dict[str, Any], blocked: CircuitOpenError | None = None) -> None:
    quota = client.http.quota
    saved: dict[str, Any] = {"day": quota.day, "used": quota.used} if quota else {}
    if isinstance(blocked, QuotaExhaustedError):
        saved["blocked_until"] = blocked.open_until.isoformat()
        saved["blocked_reason"] = blocked.reason
    state["quota"] = saved


def channel_rows(client: YouTubeClient, channel_ids: list[str], weekly: bool) -> Iterator[Any]:
    """Rows of every watchlist channel not yet collected for this observation day."""
    state = dlt.current.resource_state()
    now = client.clock.now()
    observed_on = observation_day(now, weekly)
    if observed_on is None:
        log.info("youtube weekly collection skipped: %s is early in the week (Mon-Tue); "
                 "the week's Sunday value is collected Wednesday to Sunday", now.strftime("%A %Y-%m-%d"))
        return
    done = _resume_state(state, observed_on)
    pending = [c for c in channel_ids if c not in done]
    if done:
        log.info("youtube: resuming %s, %d channels already collected, %d pending",
                 observed_on, len(done), len(pending))
    _sync_quota(client, state)
    stopped: CircuitOpenError | None = None
    for batch in _chunks(pending, BATCH_SIZE):
        try:
            rows = yield from _collect_batch(client, batch, observed_on)
        except CircuitOpenError as exc:
            stopped = exc
            break
        except ClientError:
            raise  # ids never cause a 4xx (unknown ones are just absent): the key or request is wrong
        except ServiceError as exc:
            log.error("youtube: batch of %d left pending for the next run: %s", len(batch), exc)
            continue
        if rows is not None:
            state["done_ids"].extend(batch)
        _save_quota(client, state)
    _save_quota(client, state, stopped)
    finished = set(state["done_ids"])
    left = sum(1 for c in pending if c not in finished)
    state["pending_count"] = left
    if stopped:
        log.error("youtube: stopped with %d channels pending for %s: %s. The next run resumes them.",
                  left, observed_on, stopped)


def _collect_batch(client: YouTubeClient, batch: list[str], observed_on: date):
    """Yield rows (and rejects) for one batch; returns the rows, or None if it stays pending."""
    payload = yield from fetch_or_reject(lambda: client.list_channels(batch), SOURCE,
                                         "channels.list", client.clock.now)
    if payload is None:
        log.error("youtube: %d channels left pending after unreadable responses", len(batch))
        return None
    parsed = parse_channels(payload, batch, observed_on, client.clock.now())
    for payload_part, reason in parsed.rejects:
        yield reject(SOURCE, payload_part, reason, client.clock.now())
    if not parsed.rows:
        return None  # the whole answer was unusable: ask again next run
    yield typed(parsed.rows, "channels", CHANNEL_COLUMNS)
    return parsed.rows


@dlt.source(name="youtube", max_table_nesting=0)
def youtube_source(channel_ids: list[str] | None = None, weekly: bool = False,
                   client: YouTubeClient | None = None) -> Any:
    """Channels of the watchlist (or ``channel_ids``) from ``channels.list``.

    ``weekly=True`` is phase 4: rows are stamped with the Sunday closing the
    week and Monday/Tuesday runs collect nothing.
    """

    # Nothing is read or connected here: Dagster builds the source at import time
    # to learn its resources, when credentials may legitimately be absent.
    @dlt.resource(name="channels", primary_key=["channel_id", "observed_on"],
                  write_disposition="merge")
    def channels() -> Iterator[Any]:
        ids = ids_to_collect("youtube_channel_id", channel_ids)
        api = client or YouTubeClient()
        try:
            yield from channel_rows(api, ids, weekly)
        finally:
            if client is None:
                api.close()

    return channels
