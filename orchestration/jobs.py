"""Jobs, schedules and the automation sensor: daily API collection, weekly history, marts rebuilt after either.

Raw assets carry a `cadence` tag (daily / weekly) set where they are wired;
the jobs select on it, so adding a source never means editing this file.
"""

from __future__ import annotations

import dagster as dg

DAILY = dg.AssetSelection.tag("cadence", "daily")
WEEKLY = dg.AssetSelection.tag("cadence", "weekly")
TRANSFORM = dg.AssetSelection.key_prefixes("seeds", "staging", "intermediate", "marts")

daily_collection = dg.define_asset_job(
    "daily_collection",
    selection=DAILY,
    description="Collect today's counts from the APIs (YouTube, Spotify, Instagram) and the Spotify artist pages.",
)
weekly_history = dg.define_asset_job(
    "weekly_history",
    selection=WEEKLY,
    description="Refresh the weekly history sources: YouNiverse files, Wayback CDX, archived Social Blade pages, ViewStats.",
)
mart_rebuild = dg.define_asset_job(
    "mart_rebuild",
    selection=TRANSFORM,
    description="Rebuild staging, intermediate and marts with dbt by hand (tests run as asset checks), then publish "
                "the readers' snapshot. The automation sensor does this after every collection.",
)

daily_collection_schedule = dg.ScheduleDefinition(
    name="daily_collection_schedule",
    job=daily_collection,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00 UTC: collect the APIs and artist pages.",
)
weekly_history_schedule = dg.ScheduleDefinition(
    name="weekly_history_schedule",
    job=weekly_history,
    cron_schedule="0 4 * * 3",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Wednesdays at 04:00 UTC (after the Sunday week has settled): refresh the weekly history sources.",
)


marts_automation = dg.AutomationConditionSensorDefinition(
    "marts_automation",
    target=TRANSFORM,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    # Evaluated in the code server: conditions stay in step with this code, and tests can tick it.
    use_user_code_server=True,
    description="Declarative automation of the dbt models: once a collection run has landed new raw data and "
                "nothing upstream is still running, one run rebuilds the models downstream of it (and their "
                "checks), which publishes the readers' snapshot.",
)


JOBS = [daily_collection, weekly_history, mart_rebuild]
SCHEDULES = [daily_collection_schedule, weekly_history_schedule]
SENSORS = [marts_automation]
