"""Freshness: raw assets older than their declared cadence are reported, and only those."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dagster as dg

from orchestration import alerting, freshness

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


def test_a_daily_asset_36_hours_old_is_stale():
    found = freshness.find_stale({"raw/a/t": NOW - timedelta(hours=37)}, {"raw/a/t": "daily"}, NOW)
    assert [a.asset for a in found] == ["raw/a/t"]
    assert "37 h ago" in found[0].detail


def test_a_daily_asset_a_day_old_is_fresh():
    assert freshness.find_stale({"raw/a/t": NOW - timedelta(hours=24)}, {"raw/a/t": "daily"}, NOW) == []


def test_a_weekly_asset_eight_days_old_is_fresh_but_ten_is_stale():
    cadences = {"raw/w/t": "weekly"}
    assert freshness.find_stale({"raw/w/t": NOW - timedelta(days=8)}, cadences, NOW) == []
    assert len(freshness.find_stale({"raw/w/t": NOW - timedelta(days=10)}, cadences, NOW)) == 1


def test_a_never_materialized_asset_is_stale_and_says_so():
    (alert,) = freshness.find_stale({"raw/a/t": None}, {"raw/a/t": "daily"}, NOW)
    assert alert.kind == "stale" and alert.detail.startswith("never materialized")


def test_alerts_of_one_day_share_a_detection_date_so_reruns_do_not_duplicate():
    first = freshness.find_stale({"raw/a/t": None}, {"raw/a/t": "daily"}, NOW)
    later = freshness.find_stale({"raw/a/t": None}, {"raw/a/t": "daily"}, NOW + timedelta(hours=5))
    assert first == later


def _sensor_result(definitions: dg.Definitions, instance: dg.DagsterInstance):
    context = dg.build_sensor_context(instance=instance, definitions=definitions)
    return alerting.freshness_sensor(context)


def test_sensor_with_a_fake_clock_reports_exactly_the_stale_assets(monkeypatch):
    daily = dg.AssetSpec(["raw", "demo", "daily_table"], tags={"cadence": "daily"})
    weekly = dg.AssetSpec(["raw", "demo", "weekly_table"], tags={"cadence": "weekly"})
    never = dg.AssetSpec(["raw", "demo", "never_loaded"], tags={"cadence": "daily"})

    @dg.multi_asset(specs=[daily, weekly, never])
    def demo_sources():
        pass

    definitions = dg.Definitions(assets=[demo_sources], jobs=[alerting.record_alerts],
                                 sensors=[alerting.freshness_sensor])
    instance = dg.DagsterInstance.ephemeral()
    for spec in (daily, weekly):
        instance.report_runless_asset_event(dg.AssetMaterialization(spec.key))
    monkeypatch.setattr(freshness, "now", lambda: datetime.now(timezone.utc) + timedelta(days=2))

    request = _sensor_result(definitions, instance)

    reported = {a["asset"] for a in request.run_config["ops"]["record_alerts_op"]["config"]["alerts"]}
    assert reported == {"raw/demo/daily_table", "raw/demo/never_loaded"}


def test_sensor_skips_when_everything_is_fresh(monkeypatch):
    spec = dg.AssetSpec(["raw", "demo", "daily_table"], tags={"cadence": "daily"})

    @dg.multi_asset(specs=[spec])
    def demo_source():
        pass

    definitions = dg.Definitions(assets=[demo_source], jobs=[alerting.record_alerts],
                                 sensors=[alerting.freshness_sensor])
    instance = dg.DagsterInstance.ephemeral()
    instance.report_runless_asset_event(dg.AssetMaterialization(spec.key))

    result = _sensor_result(definitions, instance)

    assert isinstance(result, dg.SkipReason) and "1 raw assets are fresh" in result.skip_message


def test_recorded_alerts_land_in_marts_alerts_once(isolated_warehouse):
    from urated import alerts

    found = freshness.find_stale({"raw/a/t": None}, {"raw/a/t": "daily"}, NOW)
    assert alerts.record(found) == 1
    assert alerts.record(found) == 0
    (row,) = alerts.read_all()
    assert row["asset"] == "raw/a/t" and row["kind"] == "stale"
