"""The YouNiverse time series read and checked in the staging DuckDB, before dlt sees a row.

At full scale the file is 75 M rows (5.5 GB). DuckDB parses it once, straight
into Parquet files in the load's scratch folder (typed; lines it cannot type
are captured by ``store_rejects``), so the rows never have to fit in memory;
``yn_ts_read`` is a view over those files and the checks only build small side
tables. The files are stamped with the load package's id, so when every row
passes (the usual case) they become dlt's load files as they are; otherwise
DuckDB writes the view of the checked rows, ``yn_timeseries``, as the load files:

- rows with an invalid channel id or no date become rejects with the reason;
- duplicate keys are found per channel, not per row: a channel holds a
  duplicate exactly when it has more rows than distinct days, and a bitmap of
  its days (``bitstring_agg``) counts those in a 153 k-group aggregate instead
  of a 75 M-group one. Only those channels' rows are then grouped exactly:
  exact copies collapse to one row, and of different rows for one key the
  larger views wins while the others become rejects.

The view leaves out the rows without a key, the duplicated keys (an
anti-join) and adds their winners. When a row is left out, only the files
read that hold one are written again without it (and the winners as one more
file): the dataset's duplicates are few, so most files are loaded as read.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb

from ingestion.youniverse.laps import Laps
from ingestion.youniverse.readers import CHANNEL_ID_CHECK, line_rejects, parquet_options, sql_str, typed_scan
from ingestion.youniverse.settings import MAX_BITMAP_DAYS, TIMESERIES_FILE_COLUMNS

log = logging.getLogger("urated.ingestion.youniverse")

SCAN = "yn_ts"
READ = "yn_ts_read"
CHECKED = "yn_timeseries"
REJECTS = "yn_timeseries_rejects"
VALID = CHANNEL_ID_CHECK.format(col="channel_id") + " AND observed_on IS NOT NULL"
# The contract's column order; the file's datetime becomes a DATE.
COLUMNS = ("channel AS channel_id, CAST(datetime AS DATE) AS observed_on, category, views, delta_views, "
           "subs, delta_subs, videos, delta_videos, activity")
# Of several different rows for one key, the one kept; the rest decide ties so reruns agree.
WINNER_ORDER = ("views DESC NULLS LAST, subs DESC NULLS LAST, videos DESC NULLS LAST, category NULLS LAST, "
                "delta_views NULLS LAST, delta_subs NULLS LAST, delta_videos NULLS LAST, activity NULLS LAST")
KEY_MATCH = "t.channel_id = k.channel_id AND t.observed_on = k.observed_on"


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


def _channels_with_repeated_days(con: duckdb.DuckDBPyConnection, valid: str) -> str:
    """A query of the channels holding some day more than once (a superset when dates span too long)."""
    first, last = con.execute(f"SELECT min(observed_on), max(observed_on) FROM {valid}").fetchone()
    if first is None:
        return "SELECT NULL::VARCHAR AS channel_id WHERE false"
    span = (last - first).days
    if span <= MAX_BITMAP_DAYS:
        # Exact: a bit per day since ``first``; more rows than set bits means a repeated day.
        return (f"SELECT channel_id FROM {valid} GROUP BY channel_id HAVING count(*) > "
                f"bit_count(bitstring_agg(observed_on - DATE '{first}', 0, {span}))")
    # Implausibly long spans would make every bitmap huge: a 64-bit hash per key instead
    # (collisions only add candidates, checked exactly afterwards).
    return (f"SELECT DISTINCT channel_id FROM {valid} SEMI JOIN ("
            f"SELECT hash(channel_id, observed_on) AS h FROM {valid} GROUP BY h HAVING count(*) > 1) d "
            f"ON hash(channel_id, observed_on) = d.h")


def _rank_duplicate_keys(con: duckdb.DuckDBPyConnection, valid: str, source: str) -> None:
    """``yn_ts_dupkeys`` (keys held more than once), their distinct rows ranked, losers as rejects."""
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ts_dupkeys AS
        SELECT channel_id, observed_on FROM {valid}
        WHERE channel_id IN ({_channels_with_repeated_days(con, valid)})
        GROUP BY ALL HAVING count(*) > 1
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ts_ranked AS
        SELECT *, row_number() OVER (PARTITION BY channel_id, observed_on ORDER BY {WINNER_ORDER}) AS key_rank
        FROM (SELECT DISTINCT t.* FROM {valid} t SEMI JOIN yn_ts_dupkeys k ON {KEY_MATCH})
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ts_conflicts AS
        SELECT {source} AS source,
               concat_ws(chr(9), channel_id, category, observed_on, views, subs, videos) AS payload_excerpt,
               'second, different row for the same channel and date (kept the larger views)' AS reason
        FROM yn_ts_ranked WHERE key_rank > 1
    """)


def _files_holding(con: duckdb.DuckDBPyConnection, read_glob: str, left_out: str) -> set[str]:
    """The files read (as ``RETURN_STATS`` names them) holding a row that ``left_out`` (a condition on ``t``) leaves out."""
    rows = con.execute(f"SELECT DISTINCT filename FROM read_parquet({sql_str(read_glob)}, filename = true) t "
                       f"WHERE {left_out}").fetchall()
    return {os.path.realpath(name) for (name,) in rows}


def _write_checked(con: duckdb.DuckDBPyConnection, files: list[tuple[str, int]], read_glob: str, folder: Path,
                   has_invalid: bool, has_duplicates: bool) -> list[tuple[str, int]]:
    """The load files when a row was left out: the untouched files read, the others written again, the winners.

    Why not write every checked row again: that is a second write of the whole
    history (13.6 s of 70 s at full scale) to drop a few rows; a file holding
    none of them is already exactly its checked rows.
    """
    dup_rows = f"EXISTS (SELECT 1 FROM yn_ts_dupkeys k WHERE {KEY_MATCH})"
    invalid_rows = f"NOT coalesce({VALID}, false)"
    left_out = " OR ".join(c for c, on in ((invalid_rows, has_invalid), (dup_rows, has_duplicates)) if on)
    # One file read (a small history) holds the left-out rows for sure: no scan to find it.
    touched = {os.path.realpath(files[0][0])} if len(files) == 1 else _files_holding(con, read_glob, left_out)
    kept = [(path, rows) for path, rows in files if os.path.realpath(path) not in touched]
    written: list[tuple[str, int]] = []
    if touched:
        names = "[" + ", ".join(sql_str(name) for name in sorted(touched)) + "]"
        written += _copy(con, f"SELECT t.* FROM read_parquet({names}) t WHERE NOT ({left_out})", folder / "rewritten")
    if has_duplicates:
        written += _copy(con, "SELECT * EXCLUDE (key_rank) FROM yn_ts_ranked WHERE key_rank = 1", folder / "winners")
    return kept + [(path, rows) for path, rows in written if rows]


def _copy(con: duckdb.DuckDBPyConnection, query: str, folder: Path) -> list[tuple[str, int]]:
    """``query`` written as Parquet files under ``folder``: (path, rows) of each."""
    folder.parent.mkdir(parents=True, exist_ok=True)  # DuckDB creates the last folder only
    stats = con.execute(f"COPY ({query}) TO {sql_str(str(folder))} {parquet_options(return_stats=True)}").fetchall()
    return [(file, rows) for file, rows, *_ in stats]


def check_timeseries(con: duckdb.DuckDBPyConnection, path: Path, read_folder: Path,
                     load_id: str) -> list[tuple[str, int]]:
    """Read ``path`` as Parquet into ``read_folder``: checked rows in ``yn_timeseries``, rejects in ``yn_timeseries_rejects``.

    The rejects are unreadable lines (DuckDB's reason), rows without a key and
    conflicting duplicates. Every relation is a plain one, so the cursors dlt
    reads through see it (temp tables are one connection's only). The files
    carry ``load_id`` as ``_dlt_load_id``. Returns the load files (path, rows)
    that hold exactly the checked rows: the files read, as they are when every
    row passed; otherwise those holding no left-out row, the others written
    again under ``read_folder``'s sibling ``checked`` without theirs, and the
    duplicates' winners. Empty (no file) only when no row passed.
    """
    source = f"'youniverse:{path.name}'"
    lap = Laps()

    files = con.execute(
        f"COPY (SELECT {COLUMNS}, {sql_str(load_id)} AS _dlt_load_id "
        f"FROM {typed_scan(path, TIMESERIES_FILE_COLUMNS, SCAN)}) "
        f"TO {sql_str(str(read_folder))} {parquet_options(return_stats=True)}").fetchall()
    read_glob = str(read_folder / "*.parquet")
    con.execute(f"CREATE OR REPLACE VIEW {READ} AS SELECT * FROM read_parquet({sql_str(read_glob)})")
    lap("read")
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ts_invalid AS
        SELECT {source} AS source, concat_ws(chr(9), channel_id, category, observed_on, views) AS payload_excerpt,
               CASE WHEN observed_on IS NULL THEN 'datetime is empty'
                    ELSE 'channel is not a YouTube channel id (columns shifted?)' END AS reason
        FROM {READ} WHERE NOT coalesce({VALID}, false)
    """)
    valid = READ
    if _scalar(con, "SELECT count(*) FROM yn_ts_invalid"):
        # Rare (shifted lines mostly fail typing instead): only then does every later scan filter.
        valid = f"(SELECT * FROM {READ} WHERE coalesce({VALID}, false))"
    lap("invalid")
    _rank_duplicate_keys(con, valid, source)
    lap("duplicates")
    con.execute(f"""
        CREATE OR REPLACE TABLE {REJECTS} AS
        {line_rejects(f'{SCAN}_errors', path)}
        UNION ALL SELECT * FROM yn_ts_invalid
        UNION ALL SELECT * FROM yn_ts_conflicts
    """)
    checked = f"SELECT * FROM {valid}"
    has_duplicates = bool(_scalar(con, "SELECT count(*) FROM yn_ts_dupkeys"))
    if has_duplicates:
        checked = (f"SELECT t.* FROM {valid} t ANTI JOIN yn_ts_dupkeys k ON {KEY_MATCH} "
                   "UNION ALL SELECT * EXCLUDE (key_rank) FROM yn_ts_ranked WHERE key_rank = 1")
    con.execute(f"CREATE OR REPLACE VIEW {CHECKED} AS {checked}")
    lap("rejects")
    read = [(file, rows) for file, rows, *_ in files]
    if valid != READ or has_duplicates:
        read = _write_checked(con, read, read_glob, read_folder.with_name("checked"), valid != READ, has_duplicates)
        lap("rewrite")
    log.info("youniverse time series %s checked, seconds per step %s", path.name, lap.seconds)
    return read
