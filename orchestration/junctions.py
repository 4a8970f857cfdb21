"""The junction sensor: new data on either side of a junction re-runs that junction's checks.

A junction is where one history source hands over to the next. Its rules are
dbt tests on `marts/junction_report` (one systemic check per junction, plus
the per-channel rule checks). When a raw asset on either side lands, the
sensor requests a run that rebuilds the junction report from the new data and
evaluates exactly that junction's checks; when a junction check fails, it
records the failure in `marts.alerts` (and the webhook) through the
`record_alerts` job, which writes inside pool `duckdb`.
"""

import json
from datetime import datetime, timezone

import dagster as dg

from orchestration.alerting import alerts_run_request, record_alerts
from urated.alerts import Alert

JUNCTION_REPORT = dg.AssetKey(["marts", "junction_report"])

# junction -> (older side, newer side): the raw assets whose new data can move it.
JUNCTION_SIDES: dict[str, tuple[str, str]] = {
    "youniverse_socialblade": ("raw/youniverse/timeseries", "raw/socialblade/points"),
    "socialblade_viewstats": ("raw/socialblade/points", "raw/viewstats/weekly"),
    "viewstats_api": ("raw/viewstats/weekly", "raw/youtube/channels"),
}
JUNCTION_REBUILD = dg.AssetSelection.assets(JUNCTION_REPORT).upstream() - dg.AssetSelection.key_prefixes("raw")

junction_checks = dg.define_asset_job(
    "junction_checks",
    selection=JUNCTION_REBUILD,
    description="Rebuild marts/junction_report (and the dbt models it reads) and evaluate the junction checks.",
)

# Per-channel rule checks on junction_report that speak for every junction.
SHARED_RULE_CHECKS = ("junction_verdict_matches_rules_junction_report_passed",)


def junction_check_key(junction: str) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(JUNCTION_REPORT, f"junction_{junction}")


def junctions_touched(landed: set[str]) -> list[str]:
    """Junctions with new data on at least one side, in history order."""
    return [j for j, sides in JUNCTION_SIDES.items() if landed & set(sides)]


def new_landings(latest: dict[str, int | None], seen: dict[str, int]) -> set[str]:
    """Raw assets whose latest materialization is newer than the one the cursor remembers."""
    return {asset for asset, storage_id in latest.items() if storage_id and storage_id > seen.get(asset, 0)}


def failed_check_alerts(records: dict[dg.AssetCheckKey, object], alerted: dict[str, int]) -> list[Alert]:
    """Alerts for junction check executions that failed and were not alerted yet."""
    found = []
    for key, record in records.items():
        name = key.name
        if record is None or record.id <= alerted.get(name, 0):
            continue
        if record.status.value != "FAILED" and not _warned(record):
            continue
        evaluation = record.event.asset_check_evaluation if record.event else None
        rows = _failed_rows(evaluation)
        when = datetime.fromtimestamp(record.event.timestamp, timezone.utc) if record.event else datetime.now(timezone.utc)
        found.append(Alert(asset=JUNCTION_REPORT.to_user_string(), kind="junction_failed", detected_at=when,
                           detail=f"{name}: {rows} failing row(s) in run {record.run_id}; see marts.junction_report "
                                  f"where not passed"))
    return found


def _warned(record) -> bool:
    evaluation = record.event.asset_check_evaluation if record.event else None
    return evaluation is not None and not evaluation.passed


def _failed_rows(evaluation) -> str:
    if evaluation is None:
        return "?"
    for name in ("dagster_dbt/failed_row_count", "failed_row_count"):
        value = evaluation.metadata.get(name)
        if value is not None:
            return str(value.value)
    return "?"


def junction_run_request(asset_graph, junctions: list[str], run_key: str) -> dg.RunRequest:
    """Rebuild junction_report from the new raw data (dbt models only) and run these junctions' checks."""
    rebuild = JUNCTION_REBUILD.resolve(asset_graph)
    checks = [junction_check_key(j) for j in junctions]
    checks += [dg.AssetCheckKey(JUNCTION_REPORT, name) for name in SHARED_RULE_CHECKS]
    return dg.RunRequest(
        run_key=run_key,
        job_name="junction_checks",
        asset_selection=sorted(rebuild, key=lambda k: k.to_user_string()),
        asset_check_keys=[c for c in checks if c in asset_graph.asset_check_keys],
        tags={"urated/junctions": ",".join(junctions)},
    )


@dg.sensor(
    jobs=[junction_checks, record_alerts],
    minimum_interval_seconds=120,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="When new data lands on either side of a junction (YouNiverse → Social Blade, Social Blade → "
                "ViewStats, ViewStats → YouTube API), rebuild the junction report and run that junction's checks; "
                "record failed junction checks in marts.alerts and post them to URATED_ALERT_WEBHOOK.",
)
def junction_sensor(context: dg.SensorEvaluationContext):
    cursor = json.loads(context.cursor) if context.cursor else {"landed": {}, "alerted": {}}
    watched = sorted({side for sides in JUNCTION_SIDES.values() for side in sides})
    latest: dict[str, int | None] = dict.fromkeys(watched)
    for record in context.instance.get_asset_records([dg.AssetKey(a.split("/")) for a in watched]):
        last = record.asset_entry.last_materialization_record
        latest[record.asset_entry.asset_key.to_user_string()] = last.storage_id if last else None
    landed = new_landings(latest, cursor["landed"])
    requests = []
    touched = junctions_touched(landed)
    if touched:
        key = "junctions-" + "-".join(f"{a}:{latest[a]}" for a in sorted(landed))
        requests.append(junction_run_request(context.repository_def.asset_graph, touched, key))
        cursor["landed"].update({a: latest[a] for a in landed})

    check_keys = [junction_check_key(j) for j in JUNCTION_SIDES]
    records = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
    found = failed_check_alerts(dict(records), cursor["alerted"])
    if found:
        requests.append(alerts_run_request(found, "junction"))
        cursor["alerted"].update({k.name: r.id for k, r in records.items() if r is not None})
    if not requests:
        return dg.SkipReason("No new data at any junction and no new junction check failure.")
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(cursor))
