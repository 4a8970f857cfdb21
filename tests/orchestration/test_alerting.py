"""Alerts: Dagster decides what is stale or failed; the alerts sensor records it once, where dbt declares it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from functools import cache

import dagster as dg
import duckdb
import yaml
from dagster._core.definitions.freshness import FreshnessState, FreshnessStateChange  # what the daemon records

from orchestration import alerting
from orchestration.freshness import freshness_policy, with_freshness
from urated import alerts, settings, storage

JUNCTION_CHECK = dg.AssetCheckKey(dg.AssetKey(["marts", "junction_report"]), "junctions_hold_for_most_channels")


@cache
def definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def evaluate(instance: dg.DagsterInstance, cursor: str | None = None):
    return alerting.alerts_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=definitions()))


def reported(result) -> list[dict]:
    return [a for r in result.run_requests for a in r.run_config["ops"]["record_alerts_op"]["config"]["alerts"]]


def fail_freshness(instance: dg.DagsterInstance, asset: str) -> None:
    instance.report_runless_asset_event(FreshnessStateChange(
        key=dg.AssetKey(asset.split("/")), new_state=FreshnessState.FAIL,
        previous_state=FreshnessState.PASS, state_change_timestamp=time.time()))


def fail_check(instance: dg.DagsterInstance, check: dg.AssetCheckKey, severity=dg.AssetCheckSeverity.ERROR) -> None:
    instance.report_runless_asset_event(dg.AssetCheckEvaluation(
        asset_key=check.asset_key, check_name=check.name, passed=False, severity=severity,
        metadata={"dagster_dbt/failed_row_count": 4}))


def test_a_raw_asset_gets_the_freshness_policy_of_its_cadence():
    daily = with_freshness(dg.AssetSpec(["raw", "demo", "t"], tags={"cadence": "daily"}))
    weekly = with_freshness(dg.AssetSpec(["raw", "demo", "w"], tags={"cadence": "weekly"}))
    assert daily.freshness_policy == freshness_policy("daily")
    assert daily.freshness_policy.fail_window.to_timedelta() == timedelta(hours=36)
    assert weekly.freshness_policy.fail_window.to_timedelta() == timedelta(days=9)


def test_every_raw_asset_of_the_code_location_has_a_freshness_policy():
    graph = definitions().resolve_asset_graph()
    raw = [k for k in graph.materializable_asset_keys if k.path[0] == "raw"]
    assert raw and all(graph.get(k).freshness_policy is not None for k in raw)


def test_an_asset_failing_its_freshness_policy_becomes_one_stale_alert():
    instance = dg.DagsterInstance.ephemeral()
    fail_freshness(instance, "raw/youtube/channels")
    (alert,) = reported(evaluate(instance))
    assert alert["asset"] == "raw/youtube/channels" and alert["kind"] == "stale"
    assert "freshness policy" in alert["detail"]


def test_stale_alerts_of_one_day_request_the_same_run_so_a_day_alerts_once():
    instance = dg.DagsterInstance.ephemeral()
    fail_freshness(instance, "raw/viewstats/weekly")
    first = evaluate(instance)
    again = evaluate(instance, cursor=first.cursor)
    assert [r.run_key for r in first.run_requests] == [r.run_key for r in again.run_requests]


def test_a_check_failed_with_severity_error_becomes_an_alert_once():
    instance = dg.DagsterInstance.ephemeral()
    fail_check(instance, JUNCTION_CHECK)
    result = evaluate(instance)
    (alert,) = reported(result)
    assert alert["kind"] == "junction_failed"
    assert alert["detail"].startswith("junctions_hold_for_most_channels: 4 failing row(s)")
    assert reported(evaluate(instance, cursor=result.cursor)) == []


def test_a_warning_is_not_an_alert():
    instance = dg.DagsterInstance.ephemeral()
    fail_check(instance, JUNCTION_CHECK, severity=dg.AssetCheckSeverity.WARN)
    assert reported(evaluate(instance)) == []


def test_recorded_alerts_land_in_ops_alerts_once():
    found = [alerts.Alert("raw/a/t", "stale", datetime(2026, 11, 18, tzinfo=timezone.utc), "late")]
    assert alerts.record(found) == 1
    assert alerts.record(found) == 0
    (row,) = alerts.read_all()
    assert (row["asset"], row["kind"], row["detail"]) == ("raw/a/t", "stale", "late")


def test_the_ops_tables_python_creates_are_the_ones_dbt_declares():
    declared = {t["name"]: [(c["name"], c["data_type"]) for c in t["columns"]]
                for s in yaml.safe_load((settings.TRANSFORM_DIR / "models" / "sources.yml").read_text())["sources"]
                if s["name"] == "ops" for t in s["tables"]}
    con = duckdb.connect()
    storage.ensure_ops_tables(con)
    created = {table: [(c, t.lower()) for c, t in con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = 'ops' "
        "and table_name = ? order by ordinal_position", [table]).fetchall()] for table in declared}
    assert declared.keys() == {"alerts", "publications"}
    assert created == declared


