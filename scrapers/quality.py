"""The enrichment spec's weekly-series rules, applied to every scraped series before it is stored.

A series earns ``full`` quality with at least 100 weekly points at a mean
interval of 6–8 days; fewer points is ``partial``, another cadence is
``irregular``. A subscriber total more than 10 % below the previous week's is
kept but flagged ``suspicious_drop`` (purges happen; parse errors look the same).
"""

from __future__ import annotations

import datetime as dt

MIN_FULL_POINTS = 100
MEAN_INTERVAL_DAYS = (6.0, 8.0)
MAX_WEEKLY_DROP = 0.10


def series_quality(days: list[dt.date]) -> str:
    """``full`` / ``partial`` / ``irregular`` for a series observed on ``days``."""
    days = sorted(set(days))
    if len(days) < 2:
        return "partial"
    mean_interval = (days[-1] - days[0]).days / (len(days) - 1)
    low, high = MEAN_INTERVAL_DAYS
    if not low <= mean_interval <= high:
        return "irregular"
    return "full" if len(days) >= MIN_FULL_POINTS else "partial"


def point_qualities(metric: str, series: list[tuple[dt.date, int]]) -> list[str]:
    """One quality flag per point of a series sorted by date: the series' flag, or the drop flag."""
    flag = series_quality([d for d, _ in series])
    flags = []
    previous = None
    for _, value in series:
        drop = metric == "subscribers" and previous and value < previous * (1 - MAX_WEEKLY_DROP)
        flags.append("suspicious_drop" if drop else flag)
        previous = value
    return flags
