"""The uRated Dagster code location (loaded by `workspace.yaml`).

Loading is lazy: importing this module does nothing heavy; Dagster calls
`defs()` to build the definitions, which parses the dbt project if needed.
"""

from __future__ import annotations

import dagster as dg


def with_freshness(spec: dg.AssetSpec) -> dg.AssetSpec:
    """Raw assets get the freshness policy of their declared cadence, so the UI shows staleness."""
    from orchestration.freshness import CADENCE_WINDOWS, freshness_policy

    cadence = (spec.tags or {}).get("cadence")
    if spec.key.path[0] != "raw" or cadence not in CADENCE_WINDOWS:
        return spec
    return spec.replace_attributes(freshness_policy=freshness_policy(cadence))


@dg.definitions
def defs() -> dg.Definitions:
    from orchestration import alerting, jobs, junctions
    from orchestration.assets import history, ingestion, transform
    from orchestration.resources import resources

    raw_assets = [
        *ingestion.build_dlt_assets(),
        history.youniverse_history,
        history.socialblade_history,
        history.spotify_artist_pages,
    ]
    return dg.Definitions(
        assets=[*dg.map_asset_specs(with_freshness, raw_assets), transform.build_dbt_assets()],
        jobs=[*jobs.JOBS, alerting.record_alerts, junctions.junction_checks],
        schedules=jobs.SCHEDULES,
        sensors=[*jobs.SENSORS, alerting.freshness_sensor, junctions.junction_sensor],
        resources=resources(),
    )
