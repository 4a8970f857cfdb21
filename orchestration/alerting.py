"""Alerts: what an analyst should look at, recorded in `ops.alerts` and posted to the webhook.

Dagster decides what is wrong; this sensor only records it:
- freshness: Dagster's freshness daemon evaluates each raw asset's `FreshnessPolicy`
  (set from its cadence); an asset whose state is FAIL becomes an alert of kind
  `stale`, once a day;
- checks: an asset check that failed with severity ERROR (a systemic junction break, a
  duplicated grain key, ...) becomes an alert of kind `junction_failed` (on
  `marts/junction_report`) or `check_failed`, once per execution.
Recording goes through the `record_alerts` job so the write happens inside pool `duckdb`.
"""


import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timezone

import dagster as dg

from urated import alerts as alert_store

JUNCTION_REPORT = dg.AssetKey(["marts", "junction_report"])


@dg.op(
    pool="duckdb",
    config_schema={"alerts": [dict]},
    description="Insert alerts into ops.alerts and post them to URATED_ALERT_WEBHOOK when set.",
)
def record_alerts_op(context: dg.OpExecutionContext) -> int:
    rows = [
        alert_store.Alert(
            asset=a["asset"], kind=a["kind"], detail=a["detail"],
            detected_at=datetime.fromisoformat(a["detected_at"]),
        )
        for a in context.op_config["alerts"]
    ]
    inserted = alert_store.record(rows)
    context.log.info(f"Recorded {inserted} new alert(s) of {len(rows)}")
    return inserted


@dg.job(description="Record alerts found by the alerts sensor into ops.alerts (and the webhook).")
def record_alerts():
    record_alerts_op()


def alerts_run_request(found: list[alert_store.Alert]) -> dg.RunRequest:
    payload = [a.as_json() for a in found]
    digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return dg.RunRequest(
        run_key=f"alerts-{digest}",  # the same alerts twice are one run
        job_name="record_alerts",
        run_config={"ops": {"record_alerts_op": {"config": {"alerts": payload}}}},
        tags={"urated/alerts": str(len(found))},
    )


def stale_alerts(states: Mapping[dg.AssetKey, object], at: datetime) -> list[alert_store.Alert]:
    """One `stale` alert per asset whose freshness policy FAILs, dated by day so a day alerts once."""
    day = at.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    found = []
    for key, record in sorted(states.items(), key=lambda kv: kv[0].to_user_string()):
        if record is None or record.freshness_state.value != "FAIL":
            continue
        since = record.updated_at.astimezone(timezone.utc)
        found.append(alert_store.Alert(
            asset=key.to_user_string(), kind="stale", detected_at=day,
            detail=f"failing its freshness policy since {since:%Y-%m-%d %H:%M} UTC (see the asset's Freshness tab)"))
    return found


def failed_check_alerts(records: Mapping[dg.AssetCheckKey, object], alerted: Mapping[str, int]) -> list[alert_store.Alert]:
    """Alerts for check executions that failed with severity ERROR and were not alerted yet."""
    found = []
    for key, record in sorted(records.items(), key=lambda kv: (kv[0].asset_key.to_user_string(), kv[0].name)):
        name = f"{key.asset_key.to_user_string()}:{key.name}"
        if record is None or record.event is None or record.id <= alerted.get(name, 0):
            continue
        evaluation = record.event.asset_check_evaluation
        if evaluation is None or evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        failing = evaluation.metadata.get("dagster_dbt/failed_row_count")
        rows = f"{failing.value} failing row(s)" if failing is not None else "failed"
        found.append(alert_store.Alert(
            asset=key.asset_key.to_user_string(),
            kind="junction_failed" if key.asset_key == JUNCTION_REPORT else "check_failed",
            detected_at=datetime.fromtimestamp(record.event.timestamp, timezone.utc),
            detail=f"{key.name}: {rows} in run {record.run_id}"))
    return found


@dg.sensor(
    job=record_alerts,
    minimum_interval_seconds=120,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 2 minutes: raw assets failing their freshness policy (kind 'stale', once a day) and asset "
                "checks failed with severity ERROR (kind 'junction_failed' for the junction report's checks, else "
                "'check_failed') are recorded in ops.alerts and posted to URATED_ALERT_WEBHOOK.",
)
def alerts_sensor(context: dg.SensorEvaluationContext):
    cursor = json.loads(context.cursor) if context.cursor else {}
    graph = context.repository_def.asset_graph
    with_policy = [k for k in graph.materializable_asset_keys if graph.get(k).freshness_policy is not None]
    found = stale_alerts(context.instance.get_freshness_state_records(with_policy), datetime.now(timezone.utc))
    records = dict(context.instance.event_log_storage.get_latest_asset_check_execution_by_key(
        list(graph.asset_check_keys)))
    found += failed_check_alerts(records, cursor)
    cursor.update({f"{k.asset_key.to_user_string()}:{k.name}": r.id for k, r in records.items() if r is not None})
    if not found:
        return dg.SensorResult(skip_reason=f"No stale asset (of {len(with_policy)} with a freshness policy) and no "
                                           "newly failed check.", cursor=json.dumps(cursor))
    return dg.SensorResult(run_requests=[alerts_run_request(found)], cursor=json.dumps(cursor))
