"""Helpers the ingestion tests share: sandbox control, warehouse queries, leak checks."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx

from urated import warehouse

FAKE_SECRETS = {
    "YOUTUBE_API_KEY": "ytKEY-leakcheck-4242",
    "SPOTIFY_CLIENT_ID": "spID-leakcheck-4242",
    "SPOTIFY_CLIENT_SECRET": "spSECRET-leakcheck-4242",
    "INSTAGRAM_ACCESS_TOKEN": "igTOKEN-leakcheck-4242",
}


def set_faults(sandbox, service: str, **knobs: int) -> None:
    httpx.post(sandbox.base_url + "/_sandbox/faults", json={"service": service, **knobs}).raise_for_status()


def sandbox_stats(sandbox) -> dict[str, Any]:
    return httpx.get(sandbox.base_url + "/_sandbox/stats").json()


def query(sql: str) -> list[tuple]:
    with warehouse.connect(read_only=True) as con:
        return con.execute(sql).fetchall()


def table_exists(schema: str, table: str) -> bool:
    return bool(query(f"SELECT 1 FROM information_schema.tables WHERE table_schema = '{schema}' "
                      f"AND table_name = '{table}'"))


def batches(n: int, size: int = 50) -> int:
    return math.ceil(n / size)


def assert_no_secret_anywhere(secret: str, log_text: str, schema: str, state_dir: Path) -> None:
    """The secret is in no log line, no table of ``schema`` and no file dlt keeps."""
    assert secret not in log_text
    for (table,) in query(f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'"):
        assert secret not in str(query(f"SELECT * FROM {schema}.{table}")), table
    for path in state_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
