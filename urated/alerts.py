"""The `ops.alerts` table and the optional webhook: where sensors and checks report trouble.

dbt declares the table (source `ops` in `transform/models/sources.yml`); only writers
inside the Dagster pool `duckdb` call `record`, so it never meets another writer's lock.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

import httpx
import pyarrow as pa

from urated import warehouse
from urated.storage import ensure_ops_tables

WEBHOOK_VAR = "URATED_ALERT_WEBHOOK"
log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Alert:
    """Something an analyst should look at: a stale asset, a failed junction, ..."""

    asset: str  # asset key, e.g. raw/youtube/channels
    kind: str  # stale | junction_failed | ...
    detected_at: datetime
    detail: str

    def as_json(self) -> dict:
        row = asdict(self)
        row["detected_at"] = self.detected_at.astimezone(timezone.utc).isoformat()
        return row


def record(alerts: list[Alert]) -> int:
    """Insert alerts (idempotent on asset, kind and detection time) and post them to the webhook."""
    if not alerts:
        return 0
    rows = pa.table({
        "asset": [a.asset for a in alerts], "kind": [a.kind for a in alerts],
        "detected_at": pa.array([a.detected_at.astimezone(timezone.utc).replace(tzinfo=None) for a in alerts],
                                pa.timestamp("us")),
        "detail": [a.detail for a in alerts],
    })
    with warehouse.connect() as con:
        ensure_ops_tables(con)
        con.register("new_alerts", rows)
        # Idempotent on (asset, kind, detected_at) without a key constraint: DuckLake has none.
        inserted = con.execute("""
            insert into ops.alerts
            select distinct on (asset, kind, detected_at) * from new_alerts
            anti join ops.alerts using (asset, kind, detected_at)
        """).fetchone()[0]
    post_webhook(alerts)
    return inserted


def post_webhook(alerts: list[Alert]) -> bool:
    """POST the alerts as JSON to URATED_ALERT_WEBHOOK when it is set; a failed post is logged, not raised."""
    url = os.environ.get(WEBHOOK_VAR, "").strip()
    if not url or not alerts:
        return False
    try:
        response = httpx.post(url, json={"alerts": [a.as_json() for a in alerts]}, timeout=10)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("Could not post %d alert(s) to the webhook: %s", len(alerts), type(exc).__name__)
        return False
    return True


def read_all() -> list[dict]:
    """Every recorded alert, newest first (for tests and the demo)."""
    with warehouse.connect(read_only=True) as con:
        if warehouse.row_count(con, "ops", "alerts") is None:
            return []
        cursor = con.execute("select * from ops.alerts order by detected_at desc, asset")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
