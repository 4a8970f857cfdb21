"""An independent, plain-Python reading of the growth rules in fct_growth's documentation.

Why: the SQL must agree with the rules as written, computed a second way from the raw
rows the fixture wrote (not from any dbt table), for several artists. The sources' facts
(precedence, which of them round subscribers and since when) are declarations, not rules
to re-derive: they come from the registry, as the SQL's do.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from urated import sources

WEEKLY_OFFSETS = {"7d": 7, "30d": 28, "90d": 91, "365d": 364}
MAX_INTERPOLATED_WEEKS = 13


def sunday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7)


def youtube_points(rows: dict[str, list[dict]]) -> list[tuple[str, str, str, date, float]]:
    """(channel, metric, source, day described, value) for every YouTube source."""
    points = []
    for r in rows.get("raw_youniverse.timeseries", []):
        day = r["observed_on"] - timedelta(days=1)
        points += [(r["channel_id"], "subscribers", "youniverse", day, r["subs"]),
                   (r["channel_id"], "views", "youniverse", day, r["views"])]
    for r in rows.get("raw_socialblade.points", []):
        points.append((r["channel_id"], r["metric"], "socialblade", r["observed_on"], r["value"]))
    for r in rows.get("raw_viewstats.weekly", []):
        points += [(r["channel_id"], "subscribers", "viewstats", r["observed_on"], r["subscribers"]),
                   (r["channel_id"], "views", "viewstats", r["observed_on"], r["views"])]
    for r in rows.get("raw_youtube.channels", []):
        if r["is_active"]:
            points += [(r["channel_id"], "subscribers", "youtube_api", r["observed_on"], r["subscriber_count"]),
                       (r["channel_id"], "views", "youtube_api", r["observed_on"], r["view_count"])]
    return [p for p in points if p[4] is not None]


def weekly_series(points) -> dict[tuple[str, str], dict[date, tuple[float, str, bool]]]:
    """(channel, metric) -> {sunday: (value, source, is_interpolated)}."""
    best: dict[tuple[str, str, date], tuple] = {}
    for channel, metric, source, day, value in points:
        key = (channel, metric, sunday_on_or_before(day))
        candidate = (sources.source(source).precedence, day, float(value), source)
        if key not in best or candidate < best[key]:
            best[key] = candidate
    series: dict[tuple[str, str], dict[date, tuple]] = defaultdict(dict)
    for (channel, metric, week), (_, _, value, source) in best.items():
        series[(channel, metric)][week] = (value, source, False)
    for weeks in series.values():
        real = sorted(weeks)
        for earlier, later in zip(real, real[1:]):
            gap = (later - earlier).days
            if 7 < gap <= 7 * (MAX_INTERPOLATED_WEEKS + 1):
                v0, source, _ = weeks[earlier]
                v1 = weeks[later][0]
                for step in range(1, gap // 7):
                    weeks[earlier + timedelta(days=7 * step)] = (v0 + (v1 - v0) * 7 * step / gap, source, True)
    return series


def rounding_step(a: float, b: float) -> float:
    biggest = max(abs(a), abs(b))
    return 10 ** (math.floor(math.log10(biggest)) - 2) if biggest >= 1000 else 0


def growth(start: float, end: float, rounded: bool) -> tuple[float, float | None]:
    """(abs_change, growth_pct) by the documented rules; growth_pct exact."""
    change = end - start
    if rounded and abs(change) <= rounding_step(start, end):
        return 0.0, (None if start == 0 else 0.0)
    return change, (None if start == 0 else 100 * change / start)


def weekly_growth(series) -> dict[tuple[str, str, str, date], tuple[float, float | None]]:
    out = {}
    for (channel, metric), weeks in series.items():
        for as_of, (end, end_source, _) in weeks.items():
            for period, offset in WEEKLY_OFFSETS.items():
                start_point = weeks.get(as_of - timedelta(days=offset))
                if start_point is None:
                    continue
                start, start_source, _ = start_point
                start_day = as_of - timedelta(days=offset)
                rounded = (sources.source(start_source).is_rounded(metric, start_day)
                           or sources.source(end_source).is_rounded(metric, as_of))
                out[(channel, metric, period, as_of)] = growth(start, end, rounded)
    return out
