"""Sensors that watch the warehouse's health and the job that records what they find.

- `freshness_sensor`: raw assets older than their cadence → `marts.alerts` (kind `stale`).
- `junction_sensor`: new data on either side of a junction → a run of that junction's checks.
Recording goes through the `record_alerts` job so the write happens inside pool `duckdb`.
"""


import hashlib
import json
from datetime import datetime, timezone

import dagster as dg

from orchestration import freshness
from urated import alerts as alert_store


@dg.op(
    pool="duckdb",
    config_schema={"alerts": [dict]},
    description="Insert alerts into marts.alerts and post them to URATED_ALERT_WEBHOOK when set.",
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


@dg.job(description="Record alerts found by the sensors into marts.alerts (and the webhook).")
def record_alerts():
    record_alerts_op()


def raw_cadences(asset_graph) -> dict[str, str]:
    """`raw/...` asset → its declared cadence, read from the `cadence` tag."""
    cadences = {}
    for key in asset_graph.materializable_asset_keys:
        cadence = (asset_graph.get(key).tags or {}).get("cadence")
        if key.path[0] == "raw" and cadence in freshness.CADENCE_WINDOWS:
            cadences[key.to_user_string()] = cadence
    return cadences


def last_materializations(instance: dg.DagsterInstance, assets: list[str]) -> dict[str, datetime | None]:
    out = {}
    for asset in assets:
        event = instance.get_latest_materialization_event(dg.AssetKey(asset.split("/")))
        out[asset] = datetime.fromtimestamp(event.timestamp, timezone.utc) if event else None
    return out


def alerts_run_request(found: list[alert_store.Alert], prefix: str) -> dg.RunRequest:
    payload = [a.as_json() for a in found]
    digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return dg.RunRequest(
        run_key=f"{prefix}-{digest}",
        job_name="record_alerts",
        run_config={"ops": {"record_alerts_op": {"config": {"alerts": payload}}}},
        tags={"urated/alerts": str(len(found))},
    )


@dg.sensor(
    job=record_alerts,
    minimum_interval_seconds=600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 10 minutes: each raw asset must have landed within its cadence (daily 36 h, weekly 9 days); "
                "stale ones are recorded in marts.alerts (kind 'stale') once a day and posted to the webhook.",
)
def freshness_sensor(context: dg.SensorEvaluationContext):
    cadences = raw_cadences(context.repository_def.asset_graph)
    found = freshness.find_stale(last_materializations(context.instance, list(cadences)), cadences, freshness.now())
    if not found:
        return dg.SkipReason(f"All {len(cadences)} raw assets are fresh.")
    context.log.info("Stale: " + ", ".join(a.asset for a in found))
    return alerts_run_request(found, "stale")
