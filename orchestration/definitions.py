"""The uRated Dagster code location (loaded by `workspace.yaml`).

Loading is lazy: importing this module does nothing heavy; Dagster calls
`defs()` to build the definitions, which reads the dbt manifest (parsed under
`dagster dev`, prepared beforehand elsewhere).
"""

from __future__ import annotations

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    from orchestration import alerting, jobs
    from orchestration.assets import history, ingestion, transform
    from orchestration.freshness import with_freshness
    from orchestration.instance import dead_run_sensor
    from orchestration.resources import resources

    raw_assets = [
        *ingestion.build_dlt_assets(),
        history.youniverse_history,
        history.socialblade_history,
        history.spotify_artist_pages,
    ]
    return dg.Definitions(
        assets=[*dg.map_asset_specs(with_freshness, raw_assets), transform.build_dbt_assets()],
        jobs=[*jobs.JOBS, alerting.record_alerts],
        schedules=jobs.SCHEDULES,
        sensors=[*jobs.SENSORS, alerting.alerts_sensor, dead_run_sensor()],
        resources=resources(),
    )
