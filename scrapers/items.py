"""What the spiders hand to the pipeline: data points with their lineage, rejects, and end-of-channel marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class SocialBladePoint:
    """One cumulative total from an archived page, with the snapshot it came from."""

    channel_id: str
    metric: str
    observed_on: dt.date
    value: int
    snapshot_timestamp: dt.datetime
    snapshot_url: str
    parser: str
    quality: str | None = None  # set by the pipeline once the whole series is known


@dataclass
class ChannelFinished:
    """A channel's walk is over: its series can be validated and loaded."""

    channel_id: str
    pages: int
    naive_pages: int
    missing_weeks: list[dt.date] = field(default_factory=list)


@dataclass
class MonthlyListeners:
    artist_id: str
    observed_on: dt.date
    monthly_listeners: int
    page_url: str
    collected_at: dt.datetime


@dataclass
class Reject:
    """A page or listing that gave no data, kept with its URL and why."""

    source: str
    reason: str
    payload_excerpt: str
    snapshot_url: str
    rejected_at: dt.datetime
    key: str = ""  # channel or artist id
