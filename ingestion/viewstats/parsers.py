"""Pure parsing of the ViewStats weekly payload into ``raw_viewstats.weekly`` rows.

The body is checked before any value is read: a challenge page must never
become data, and a payload for another channel is rejected, not loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingestion.coerce import BadValue, to_count, to_date


@dataclass
class ParsedWeeks:
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[tuple[Any, str]] = field(default_factory=list)


def week_row(point: dict[str, Any], channel_id: str, collected_at: datetime) -> dict[str, Any]:
    return {
        "channel_id": channel_id,
        "observed_on": to_date(point.get("date"), "date"),
        "subscribers": to_count(point.get("subscriberCount"), "subscriberCount"),
        "views": to_count(point.get("viewCount"), "viewCount"),
        "longform_views": to_count(point.get("longformViewCount"), "longformViewCount"),
        "shorts_views": to_count(point.get("shortsViewCount"), "shortsViewCount"),
        "collected_at": collected_at,
    }


def parse_weekly(payload: Any, channel_id: str, collected_at: datetime) -> ParsedWeeks:
    parsed = ParsedWeeks()
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        parsed.rejects.append((payload, "response is not an object with a data list"))
        return parsed
    if payload.get("channelId") not in (None, channel_id):
        parsed.rejects.append((payload, f"response is for {payload.get('channelId')!r}, not {channel_id!r}"))
        return parsed
    seen: set = set()
    for point in payload["data"]:
        try:
            if not isinstance(point, dict):
                raise BadValue("point is not an object")
            row = week_row(point, channel_id, collected_at)
        except BadValue as exc:
            parsed.rejects.append((point, f"bad weekly point: {exc}"))
            continue
        if row["observed_on"] not in seen:
            seen.add(row["observed_on"])
            parsed.rows.append(row)
    return parsed
