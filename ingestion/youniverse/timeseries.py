"""The YouNiverse time series read straight into its table, then checked in place.

At full scale the file is 75 M rows (5.5 GB): staging it in memory and
grouping every (channel, date) key cost 19 GiB and three minutes. Instead
DuckDB parses the file once into a table next to the target (``<target>_loading``)
and commits it: a fresh table's row groups are then kept as written, while
any delete in the transaction that wrote them makes DuckDB rewrite them all
(measured: twice the time). A second transaction fixes the few bad rows and
swaps the table in, so readers of the target see the old rows or the finished
new ones:

- rows with an invalid channel id or no date are moved to the rejects;
- duplicate keys are found per channel, not per row: a channel holds a
  duplicate exactly when it has more rows than distinct days, and a bitmap of
  its days (``bitstring_agg``) counts those in a 153 k-group aggregate instead
  of a 75 M-group one. Only those channels' rows are then grouped exactly:
  exact copies collapse to one row, and of different rows for one key the
  larger views wins while the others become rejects.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb

from ingestion.youniverse.readers import CHANNEL_ID_CHECK, line_rejects, typed_scan
from ingestion.youniverse.settings import MAX_BITMAP_DAYS, TIMESERIES_FILE_COLUMNS

log = logging.getLogger("urated.ingestion.youniverse")

SCAN = "yn_ts"
REJECTS = "yn_timeseries_rejects"
VALID = CHANNEL_ID_CHECK.format(col="channel_id") + " AND observed_on IS NOT NULL"
# The contract's column order; the file's datetime becomes a DATE.
COLUMNS = ("channel AS channel_id, CAST(datetime AS DATE) AS observed_on, category, views, delta_views, "
           "subs, delta_subs, videos, delta_videos, activity")
# Of several different rows for one key, the one kept; the rest decide ties so reruns agree.
WINNER_ORDER = ("views DESC NULLS LAST, subs DESC NULLS LAST, videos DESC NULLS LAST, category NULLS LAST, "
                "delta_views NULLS LAST, delta_subs NULLS LAST, delta_videos NULLS LAST, activity NULLS LAST")
# Guaranteed once the bad rows are out, and declared so every reader can rely on it.
NOT_NULL = ("channel_id", "observed_on", "_dlt_load_id")
KEY_MATCH = "t.channel_id = k.channel_id AND t.observed_on = k.observed_on"


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


def _move_invalid_rows(con: duckdb.DuckDBPyConnection, target: str, source: str) -> None:
    """Rows no key can be built for leave ``target`` for the temp table ``yn_ts_invalid``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE yn_ts_invalid AS
        SELECT {source} AS source, concat_ws(chr(9), channel_id, category, observed_on, views) AS payload_excerpt,
               CASE WHEN observed_on IS NULL THEN 'datetime is empty'
                    ELSE 'channel is not a YouTube channel id (columns shifted?)' END AS reason
        FROM {target} WHERE channel_id IS NULL OR NOT ({VALID})
    """)
    if _scalar(con, "SELECT count(*) FROM yn_ts_invalid"):
        con.execute(f"DELETE FROM {target} WHERE channel_id IS NULL OR NOT ({VALID})")


def _channels_with_repeated_days(con: duckdb.DuckDBPyConnection, target: str) -> str:
    """A query of the channels holding some day more than once (a superset when dates span too long)."""
    first, last = con.execute(f"SELECT min(observed_on), max(observed_on) FROM {target}").fetchone()
    if first is None:
        return "SELECT NULL::VARCHAR AS channel_id WHERE false"
    span = (last - first).days
    if span <= MAX_BITMAP_DAYS:
        # Exact: a bit per day since ``first``; more rows than set bits means a repeated day.
        return (f"SELECT channel_id FROM {target} GROUP BY channel_id HAVING count(*) > "
                f"bit_count(bitstring_agg(observed_on - DATE '{first}', 0, {span}))")
    # Implausibly long spans would make every bitmap huge: a 64-bit hash per key instead
    # (collisions only add candidates, checked exactly afterwards).
    return (f"SELECT DISTINCT channel_id FROM {target} SEMI JOIN ("
            f"SELECT hash(channel_id, observed_on) AS h FROM {target} GROUP BY h HAVING count(*) > 1) d "
            f"ON hash(channel_id, observed_on) = d.h")


def _resolve_duplicate_keys(con: duckdb.DuckDBPyConnection, target: str, source: str) -> None:
    """Keep one row per key in ``target``; different losers go to the temp table ``yn_ts_conflicts``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE yn_ts_dupkeys AS
        SELECT channel_id, observed_on FROM {target}
        WHERE channel_id IN ({_channels_with_repeated_days(con, target)})
        GROUP BY ALL HAVING count(*) > 1
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE yn_ts_ranked AS
        SELECT *, row_number() OVER (PARTITION BY channel_id, observed_on ORDER BY {WINNER_ORDER}) AS key_rank
        FROM (SELECT DISTINCT t.* FROM {target} t SEMI JOIN yn_ts_dupkeys k ON {KEY_MATCH})
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE yn_ts_conflicts AS
        SELECT {source} AS source,
               concat_ws(chr(9), channel_id, category, observed_on, views, subs, videos) AS payload_excerpt,
               'second, different row for the same channel and date (kept the larger views)' AS reason
        FROM yn_ts_ranked WHERE key_rank > 1
    """)
    if _scalar(con, "SELECT count(*) FROM yn_ts_dupkeys"):
        con.execute(f"DELETE FROM {target} t USING yn_ts_dupkeys k WHERE {KEY_MATCH}")
        con.execute(f"INSERT INTO {target} SELECT * EXCLUDE (key_rank) FROM yn_ts_ranked WHERE key_rank = 1")


def write_timeseries(con: duckdb.DuckDBPyConnection, path: Path, target: str, load_id: str) -> int:
    """Replace table ``target`` with the checked rows of ``path`` stamped ``load_id``; return its row count.

    ``target`` itself changes in one transaction: its readers see the old table
    or the finished new one. The rejects (unreadable lines, invalid keys, conflicting
    duplicates) land in the connection's table ``yn_timeseries_rejects``.
    """
    source = f"'youniverse:{path.name}'"
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        timings[step] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    catalog, _, name = target.rpartition(".")
    loading = f"{catalog}.{name}_loading" if catalog else f"{name}_loading"
    con.execute(f"""
        CREATE OR REPLACE TABLE {loading} AS
        SELECT {COLUMNS}, '{load_id}' AS _dlt_load_id FROM {typed_scan(path, TIMESERIES_FILE_COLUMNS, SCAN)}
    """)
    lap("read")
    con.execute("BEGIN")
    try:
        _move_invalid_rows(con, loading, source)
        lap("invalid")
        _resolve_duplicate_keys(con, loading, source)
        lap("duplicates")
        # Temp tables are this connection's only; the rejects table must be seen by
        # cursors, and this transaction may write only ``target``'s database.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE yn_ts_rejects AS
            {line_rejects(f'{SCAN}_errors', path)}
            UNION ALL SELECT * FROM yn_ts_invalid
            UNION ALL SELECT * FROM yn_ts_conflicts
        """)
        for column in NOT_NULL:
            con.execute(f"ALTER TABLE {loading} ALTER COLUMN {column} SET NOT NULL")
        lap("not null")
        rows = _scalar(con, f"SELECT count(*) FROM {loading}")
        con.execute(f"DROP TABLE IF EXISTS {target}")
        con.execute(f"ALTER TABLE {loading} RENAME TO {name}")
        con.execute("COMMIT")
        lap("swap")
    except BaseException:
        con.execute("ROLLBACK")
        con.execute(f"DROP TABLE IF EXISTS {loading}")  # the target keeps its previous rows
        raise
    con.execute(f"CREATE OR REPLACE TABLE {REJECTS} AS SELECT * FROM yn_ts_rejects")
    log.info("youniverse time series: %s rows into %s, seconds per step %s", rows, target, timings)
    return rows
