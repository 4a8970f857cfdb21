"""Archived Social Blade pages of a channel, as the Wayback Machine holds them.

A page `socialblade.com/youtube/channel/<id>/monthly` was captured at
irregular times (a few days to a month apart); each capture's chart shows the
weekly points of the previous ~26 weeks. The layout of the chart changed over
the years, and a few captures are broken beyond any parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from sandbox import eras

SHARE_BROKEN = 0.02
LAYOUTS = ("highcharts", "dygraphs", "csv", "table")
EARLY_LAYOUT_P = (0.40, 0.45, 0.07, 0.08)  # before mid-2020 Dygraphs was common
LATE_LAYOUT_P = (0.78, 0.0, 0.10, 0.12)
LAYOUT_SWITCH = date(2020, 7, 1)


@dataclass(frozen=True)
class Snapshot:
    timestamp: str  # 14 digits, as in CDX and /web/<timestamp>/ URLs
    layout: str  # highcharts | dygraphs | csv | table | broken
    window_start: date
    window_end: date

    @property
    def captured_at(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S")


def page_url(channel_id: str) -> str:
    return f"https://socialblade.com/youtube/channel/{channel_id}/monthly"


def make_snapshots(seed: int, row: int, exposed_from: date, exposed_to: date) -> list[Snapshot]:
    """Captures whose chart windows intersect what Social Blade exposes for the channel."""
    if exposed_from > exposed_to:
        return []
    rng = np.random.default_rng([seed, 4, row])
    out = []
    moment = datetime.combine(eras.SOCIALBLADE_FIRST, datetime.min.time()) + timedelta(days=int(rng.integers(7, 20)))
    last = datetime.combine(eras.SOCIALBLADE_LAST, datetime.min.time()) + timedelta(days=7)
    while moment <= last:
        captured = moment + timedelta(seconds=int(rng.integers(0, 86_400)))
        window_end = eras.last_sunday(captured.date() - timedelta(days=1))
        window_start = window_end - timedelta(weeks=eras.SOCIALBLADE_WINDOW_WEEKS - 1)
        window_start, window_end = max(window_start, exposed_from), min(window_end, exposed_to)
        p = EARLY_LAYOUT_P if captured.date() < LAYOUT_SWITCH else LATE_LAYOUT_P
        layout = LAYOUTS[int(rng.choice(len(LAYOUTS), p=p))]
        if rng.random() < SHARE_BROKEN:
            layout = "broken"
        if window_start <= window_end:
            out.append(Snapshot(captured.strftime("%Y%m%d%H%M%S"), layout, window_start, window_end))
        moment += timedelta(days=int(rng.integers(4, 36)))
    return out
