"""A later week of YouNiverse-format rows upserted into the loaded history.

The weekly refresh brings one more week (or a corrected one) in the same file
format. It is checked exactly like the history (:func:`write_timeseries`),
then rows whose (channel_id, observed_on) already exist are replaced: deleted
and inserted in one transaction that also records the load in ``_dlt_loads``
(status 0). So ``raw_youniverse.timeseries`` stays unique per key by
construction, and staging sees all of the week or none of it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ingestion.pipeline import dataset_name
from ingestion.youniverse.readers import sql_str
from ingestion.youniverse.session import open_staging
from ingestion.youniverse.settings import SOURCE
from ingestion.youniverse.timeseries import KEY_MATCH, REJECTS, write_timeseries

RAW = f"wh.{dataset_name(SOURCE)}"


def append_timeseries(warehouse: Path, path: Path) -> dict[str, Any]:
    """Upsert the rows of the time series file ``path`` into ``warehouse``'s ``raw_youniverse``.

    Returns ``rows`` (rows written), ``replaced`` (existing rows they replaced),
    ``rejects`` and the ``load_id`` they carry. The history must have been
    loaded first: the load is recorded under its dlt schema.
    """
    if not Path(warehouse).exists():  # ATTACH would create an empty one
        raise RuntimeError(f"{warehouse} does not exist: load the history before appending to it")
    load_id = f"{time.time():.6f}"  # dlt's format: the Unix time the load started
    con = open_staging()
    try:
        rows = write_timeseries(con, Path(path), "yn_timeseries", load_id)
        rejects = con.execute(f"SELECT count(*) FROM {REJECTS}").fetchone()[0]
        con.execute(f"ATTACH {sql_str(str(warehouse))} AS wh")
        loaded = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'wh' AND schema_name = ? "
                             "AND table_name IN ('_dlt_loads', 'timeseries', 'rejects')",
                             [dataset_name(SOURCE)]).fetchone()[0] == 3
        previous = loaded and con.execute(f"SELECT schema_name, schema_version_hash FROM {RAW}._dlt_loads "
                                          "ORDER BY inserted_at DESC LIMIT 1").fetchall()
        if not previous:
            raise RuntimeError(f"{warehouse} holds no YouNiverse load: load the history before appending to it")
        first, last = con.execute("SELECT min(observed_on), max(observed_on) FROM yn_timeseries").fetchone()
        con.execute("BEGIN")
        try:
            # The date range is a plain filter DuckDB pushes into the scan, ahead of the key join.
            replaced = con.execute(f"""
                DELETE FROM {RAW}.timeseries t USING yn_timeseries k
                WHERE t.observed_on BETWEEN DATE '{first}' AND DATE '{last}' AND {KEY_MATCH}
            """).fetchone()[0] if rows else 0
            con.execute(f"INSERT INTO {RAW}.timeseries BY NAME SELECT * FROM yn_timeseries")
            con.execute(f"""
                INSERT INTO {RAW}.rejects BY NAME
                SELECT *, now() AS rejected_at, '{load_id}' AS _dlt_load_id
                FROM {REJECTS}
            """)
            # The same bookkeeping dlt writes for a finished load, under the history's schema.
            con.execute(f"INSERT INTO {RAW}._dlt_loads (load_id, schema_name, status, inserted_at, "
                        "schema_version_hash) VALUES (?, ?, 0, now(), ?)", [load_id, *previous[0]])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    return {"rows": rows, "replaced": replaced, "rejects": rejects, "load_id": load_id}
