"""The weekly refresh's input: the held-back latest week appended to the raw history.

It lands the way a load does: read and checked by the YouNiverse loader's own
readers (typed, duplicates dropped, shifted lines left out), written columnar in
one DuckDB transaction with a fresh load id, and recorded in ``_dlt_loads`` with
status 0 in the same transaction, so staging sees all of the week or none of it.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from ingestion.youniverse.readers import find_file, stage_timeseries
from ingestion.youniverse.settings import TIMESERIES_STEM

RAW = "wh.raw_youniverse"


def append_new_week(warehouse: Path, folder: Path) -> dict:
    """Append the week in ``folder`` to ``raw_youniverse.timeseries``; return rows and load id."""
    load_id = f"{time.time():.6f}"
    con = duckdb.connect()
    try:
        stage_timeseries(con, find_file(folder, TIMESERIES_STEM))
        con.execute(f"ATTACH '{warehouse}' AS wh")
        con.execute("BEGIN")
        con.execute(f"INSERT INTO {RAW}.timeseries BY NAME SELECT *, '{load_id}' AS _dlt_load_id FROM yn_timeseries")
        rows = con.execute(f"SELECT count(*) FROM {RAW}.timeseries WHERE _dlt_load_id = '{load_id}'").fetchall()[0][0]
        # The same bookkeeping dlt writes for a finished load (schema of the previous one).
        con.execute(f"""
            INSERT INTO {RAW}._dlt_loads (load_id, schema_name, status, inserted_at, schema_version_hash)
            SELECT '{load_id}', schema_name, 0, now(), schema_version_hash
            FROM {RAW}._dlt_loads ORDER BY inserted_at DESC LIMIT 1
        """)
        con.execute("COMMIT")
    finally:
        con.close()
    return {"rows": rows, "load_id": load_id}
