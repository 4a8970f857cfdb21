"""Freshness: each raw asset declares a cadence, and Dagster's `FreshnessPolicy` says when it is late.

The cadence is the `cadence` tag set where the asset is wired (daily or weekly); the
freshness daemon evaluates the policy and the UI shows it, and the alerts sensor
(`orchestration/alerting.py`) records FAIL states.
"""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

# A daily source may slip a few hours (schedule at 06:00, APIs slow); a weekly one a day.
CADENCE_WINDOWS: dict[str, tuple[timedelta, timedelta]] = {
    "daily": (timedelta(hours=26), timedelta(hours=36)),  # (warn, fail)
    "weekly": (timedelta(days=7, hours=12), timedelta(days=9)),
}


def freshness_policy(cadence: str) -> dg.FreshnessPolicy:
    warn, fail = CADENCE_WINDOWS[cadence]
    return dg.FreshnessPolicy.time_window(fail_window=fail, warn_window=warn)


def with_freshness(spec: dg.AssetSpec) -> dg.AssetSpec:
    """Raw assets get the freshness policy of their declared cadence, so the UI shows staleness."""
    cadence = (spec.tags or {}).get("cadence")
    if spec.key.path[0] != "raw" or cadence not in CADENCE_WINDOWS:
        return spec
    return spec.replace_attributes(freshness_policy=freshness_policy(cadence))
