"""The junction sensor: new data on one side of a junction requests exactly that junction's checks."""

from __future__ import annotations

import json
from functools import cache

import dagster as dg
import pytest

from orchestration import junctions


@cache
def definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def evaluate(instance, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=definitions())
    return junctions.junction_sensor(context)


def land(instance, asset: str) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(dg.AssetKey(asset.split("/"))))


def requested_checks(result) -> set[str]:
    (request,) = [r for r in result.run_requests if r.job_name == "junction_checks"]
    return {c.name for c in request.asset_check_keys}


def test_new_viewstats_data_requests_both_junctions_it_sits_on():
    instance = dg.DagsterInstance.ephemeral()
    land(instance, "raw/viewstats/weekly")
    checks = requested_checks(evaluate(instance))
    assert {"junction_socialblade_viewstats", "junction_viewstats_api"} <= checks
    assert "junction_youniverse_socialblade" not in checks


def test_new_youtube_api_data_requests_only_the_current_week_junction():
    instance = dg.DagsterInstance.ephemeral()
    land(instance, "raw/youtube/channels")
    checks = requested_checks(evaluate(instance))
    assert {c for c in checks if c.startswith("junction_") and "report" not in c} == {"junction_viewstats_api"}


def test_the_request_rebuilds_the_junction_report_from_dbt_models_only():
    instance = dg.DagsterInstance.ephemeral()
    land(instance, "raw/socialblade/points")
    (request,) = evaluate(instance).run_requests
    keys = {k.to_user_string() for k in request.asset_selection}
    assert "marts/junction_report" in keys
    assert not any(k.startswith("raw/") for k in keys)
    assert "marts/fct_growth" not in keys


def test_nothing_new_means_no_run():
    instance = dg.DagsterInstance.ephemeral()
    land(instance, "raw/viewstats/weekly")
    first = evaluate(instance)
    second = evaluate(instance, cursor=first.cursor)
    assert isinstance(second, dg.SkipReason)


def test_unrelated_raw_data_does_not_trigger_junction_checks():
    instance = dg.DagsterInstance.ephemeral()
    land(instance, "raw/spotify/artists")
    assert isinstance(evaluate(instance), dg.SkipReason)


def test_a_failed_junction_check_becomes_an_alert_once():
    instance = dg.DagsterInstance.ephemeral()
    check = junctions.junction_check_key("viewstats_api")
    instance.report_runless_asset_event(dg.AssetCheckEvaluation(
        asset_key=check.asset_key, check_name=check.name, passed=False,
        metadata={"dagster_dbt/failed_row_count": 1}, severity=dg.AssetCheckSeverity.ERROR,
    ))
    cursor = json.dumps({"landed": {a: 10**12 for a in ["raw/youniverse/timeseries", "raw/socialblade/points",
                                                        "raw/viewstats/weekly", "raw/youtube/channels"]},
                         "alerted": {}})
    result = evaluate(instance, cursor=cursor)
    (request,) = result.run_requests
    (alert,) = request.run_config["ops"]["record_alerts_op"]["config"]["alerts"]
    assert alert["kind"] == "junction_failed" and alert["detail"].startswith("junction_viewstats_api: 1 failing row")
    assert isinstance(evaluate(instance, cursor=result.cursor), dg.SkipReason)


@pytest.mark.parametrize("junction", sorted(junctions.JUNCTION_SIDES))
def test_every_junction_has_its_check_in_the_code_location(junction):
    assert junctions.junction_check_key(junction) in definitions().resolve_asset_graph().asset_check_keys
