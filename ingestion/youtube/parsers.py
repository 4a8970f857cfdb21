"""Pure parsing of ``channels.list`` responses into ``raw_youtube.channels`` rows.

No I/O, no clock: the caller supplies the requested ids and the stamps, so the
parser is tested on recorded real responses byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ingestion.coerce import BadValue, to_bool, to_count, to_text, to_timestamp


@dataclass
class ParsedBatch:
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[tuple[Any, str]] = field(default_factory=list)  # (payload, reason)


def channel_row(item: dict[str, Any], observed_on: date, collected_at: datetime) -> dict[str, Any]:
    """One ``youtube#channel`` resource as a row; raises :class:`BadValue` on a bad field."""
    channel_id = item.get("id")
    if not isinstance(channel_id, str) or not channel_id:
        raise BadValue(f"id is missing or not text ({channel_id!r})")
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    status = item.get("status") or {}
    if not all(isinstance(part, dict) for part in (snippet, stats, status)):
        raise BadValue("snippet, statistics or status is not an object")
    hidden = bool(to_bool(stats.get("hiddenSubscriberCount"), "hiddenSubscriberCount"))
    subscribers = to_count(stats.get("subscriberCount"), "subscriberCount")
    return {
        "channel_id": channel_id,
        "observed_on": observed_on,
        "title": to_text(snippet.get("title"), "title"),
        "custom_url": to_text(snippet.get("customUrl"), "customUrl"),
        "country": to_text(snippet.get("country"), "country"),
        "published_at": to_timestamp(snippet.get("publishedAt"), "publishedAt"),
        # A hidden count is not zero and not a number to trust: keep the flag, null the value.
        "subscriber_count": None if hidden else subscribers,
        "view_count": to_count(stats.get("viewCount"), "viewCount"),
        "video_count": to_count(stats.get("videoCount"), "videoCount"),
        "hidden_subscriber_count": hidden,
        "privacy_status": to_text(status.get("privacyStatus"), "privacyStatus"),
        "is_active": True,
        "collected_at": collected_at,
    }


def inactive_row(channel_id: str, observed_on: date, collected_at: datetime) -> dict[str, Any]:
    """A requested id the API did not return: deleted, terminated or never existed."""
    return {
        "channel_id": channel_id, "observed_on": observed_on, "title": None, "custom_url": None,
        "country": None, "published_at": None, "subscriber_count": None, "view_count": None,
        "video_count": None, "hidden_subscriber_count": None, "privacy_status": None,
        "is_active": False, "collected_at": collected_at,
    }


def parse_channels(payload: Any, requested_ids: list[str], observed_on: date,
                   collected_at: datetime) -> ParsedBatch:
    """Rows for every requested id (active or not) plus rejects for items that do not parse.

    A payload that is not a channel list at all yields only a reject: without a
    trustworthy ``items`` we cannot tell absent ids from unread ones.
    """
    batch = ParsedBatch()
    if not isinstance(payload, dict) or not isinstance(payload.get("items", []), list):
        batch.rejects.append((payload, "response is not a channelListResponse with an items list"))
        return batch
    seen: set[str] = set()
    for item in payload.get("items", []):
        if not isinstance(item, dict):
            batch.rejects.append((item, "item is not an object"))
            continue
        try:
            row = channel_row(item, observed_on, collected_at)
        except BadValue as exc:
            batch.rejects.append((item, f"bad channel item: {exc}"))
            if isinstance(item.get("id"), str):
                seen.add(item["id"])  # present but unreadable: rejected, not inactive
            continue
        if row["channel_id"] in seen:
            continue
        seen.add(row["channel_id"])
        batch.rows.append(row)
    for channel_id in requested_ids:
        if channel_id not in seen:
            batch.rows.append(inactive_row(channel_id, observed_on, collected_at))
    return batch
