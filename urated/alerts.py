"""The `marts.alerts` table and the optional webhook: where sensors and checks report trouble.

Only writers inside the Dagster pool `duckdb` call `record`, so it never meets
another writer's lock.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

import httpx

from urated import warehouse

WEBHOOK_VAR = "URATED_ALERT_WEBHOOK"
log = logging.getLogger(__name__)

CREATE_SQL = """
    create schema if not exists marts;
    create table if not exists marts.alerts (
        asset varchar not null,
        kind varchar not null,
        detected_at timestamp not null,
        detail varchar not null,
        primary key (asset, kind, detected_at)
    );
"""


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
    with warehouse.connect() as con:
        con.execute(CREATE_SQL)
        before = con.execute("select count(*) from marts.alerts").fetchone()[0]
        con.executemany(
            "insert or ignore into marts.alerts values (?, ?, ?, ?)",
            [(a.asset, a.kind, a.detected_at.replace(tzinfo=None), a.detail) for a in alerts],
        )
        inserted = con.execute("select count(*) from marts.alerts").fetchone()[0] - before
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
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = 'alerts'"
        ).fetchone()[0]
        if not exists:
            return []
        cursor = con.execute("select * from marts.alerts order by detected_at desc, asset")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
