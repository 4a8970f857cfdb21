"""Freshness: each raw asset declares a cadence; one that has not landed within it is stale.

The cadence is the `cadence` tag set where the asset is wired (daily or
weekly). Dagster shows the same windows natively through freshness policies;
this module also turns them into rows of `marts.alerts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import dagster as dg

from urated.alerts import Alert

# A daily source may slip a few hours (schedule at 06:00, APIs slow); a weekly one a day.
CADENCE_WINDOWS: dict[str, tuple[timedelta, timedelta]] = {
    "daily": (timedelta(hours=26), timedelta(hours=36)),  # (warn, fail)
    "weekly": (timedelta(days=7, hours=12), timedelta(days=9)),
}


def freshness_policy(cadence: str) -> dg.FreshnessPolicy:
    warn, fail = CADENCE_WINDOWS[cadence]
    return dg.FreshnessPolicy.time_window(fail_window=fail, warn_window=warn)


def now() -> datetime:
    """The clock the sensor reads (tests replace it)."""
    return datetime.now(timezone.utc)


def find_stale(
    last_materialized: Mapping[str, datetime | None],
    cadences: Mapping[str, str],
    at: datetime,
) -> list[Alert]:
    """Alerts for every asset whose last materialization is older than its cadence's fail window."""
    alerts = []
    for asset, cadence in sorted(cadences.items()):
        _, fail = CADENCE_WINDOWS[cadence]
        last = last_materialized.get(asset)
        if last is None:
            detail = f"never materialized; expected {cadence}"
        elif at - last > fail:
            age_h = (at - last).total_seconds() / 3600
            detail = f"last materialized {last:%Y-%m-%d %H:%M} UTC, {age_h:.0f} h ago; expected {cadence} (fail after {fail.total_seconds() / 3600:.0f} h)"
        else:
            continue
        day = at.replace(hour=0, minute=0, second=0, microsecond=0)
        alerts.append(Alert(asset=asset, kind="stale", detected_at=day, detail=detail))
    return alerts
