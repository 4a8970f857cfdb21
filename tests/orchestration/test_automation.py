"""Declarative automation: one collection run leads to exactly one build of the models it feeds."""

from __future__ import annotations

from functools import cache

import dagster as dg

from orchestration import jobs


@cache
def definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def land(instance: dg.DagsterInstance, selection: dg.AssetSelection) -> None:
    """A collection run's materializations: every raw asset the selection holds lands once."""
    for key in selection.resolve(definitions().resolve_asset_graph()):
        instance.report_runless_asset_event(dg.AssetMaterialization(key))


def built_once() -> tuple[dg.DagsterInstance, str]:
    """An instance where every asset was materialized once, and the sensor's cursor after that."""
    instance = dg.DagsterInstance.ephemeral()
    land(instance, dg.AssetSelection.all())
    return instance, tick(instance).cursor


def tick(instance: dg.DagsterInstance, cursor: str | None = None) -> dg.SensorResult:
    """One evaluation of the automation sensor, as the daemon runs it."""
    sensor = definitions().get_sensor_def("marts_automation")
    return sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=definitions()))


def requested(result) -> set[str]:
    return {key.to_user_string() for request in result.run_requests for key in request.asset_selection or []}


def test_every_dbt_model_rebuilds_through_an_automation_condition():
    graph = definitions().resolve_asset_graph()
    models = [k for k in graph.materializable_asset_keys if k.path[0] in ("staging", "intermediate", "marts")]
    assert models and all(graph.get(k).automation_condition is not None for k in models)


def test_the_automation_sensor_is_on_by_default():
    assert definitions().get_sensor_def("marts_automation").default_status == dg.DefaultSensorStatus.RUNNING


def test_a_daily_collection_run_requests_exactly_one_build_of_the_models_downstream():
    instance, cursor = built_once()
    land(instance, jobs.DAILY)
    result = tick(instance, cursor)
    assert len(result.run_requests) == 1
    assert {"marts/fct_growth", "marts/dim_artists"} <= requested(result)
    assert not any(key.startswith("raw/") for key in requested(result))


def test_the_models_only_weekly_sources_feed_are_not_rebuilt_by_a_daily_collection():
    instance, cursor = built_once()
    land(instance, jobs.DAILY)
    assert "staging/stg_viewstats__weekly" not in requested(tick(instance, cursor))


def test_nothing_is_rebuilt_while_nothing_new_landed():
    instance, cursor = built_once()
    assert tick(instance, cursor).run_requests == []


def test_the_same_collection_is_never_built_twice():
    instance, cursor = built_once()
    land(instance, jobs.WEEKLY)
    second = tick(instance, cursor)
    third = tick(instance, second.cursor)
    assert len(second.run_requests) == 1
    assert third.run_requests == []
