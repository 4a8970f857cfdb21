"""Columnar reading of the YouNiverse files with DuckDB: typed, de-duplicated, checked.

Every function fills tables and views in a DuckDB connection it is given,
so 18.9 M rows never pass through Python objects. Lines DuckDB cannot
type (a missing category shifts every later column) are captured with
``store_rejects`` and come back as reject rows with DuckDB's own reason.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

from ingestion.youniverse.settings import CHANNELS_FILE_COLUMNS, SUFFIXES, TIMESERIES_FILE_COLUMNS

CHANNEL_ID_CHECK = "length({col}) = 24 AND starts_with({col}, 'UC')"


def find_file(folder: Path, stem: str) -> Path:
    """``<stem>.tsv`` or ``<stem>.tsv.gz`` in ``folder``; a clear error naming both otherwise."""
    for suffix in SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"neither {stem}.tsv nor {stem}.tsv.gz in {folder}")


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns_struct(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"{_sql_str(k)}: {_sql_str(v)}" for k, v in columns.items()) + "}"


def _header(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as handle:
        return handle.readline().rstrip("\r\n").split("\t")


def _typed_scan(path: Path, columns: dict[str, str], scan: str) -> str:
    """A strictly typed read; lines that fail go to ``<scan>_errors`` instead of aborting."""
    return (
        f"read_csv({_sql_str(str(path))}, delim='\\t', header=true, quote='', escape='', "
        f"columns={_columns_struct(columns)}, store_rejects=true, "
        f"rejects_table='{scan}_errors', rejects_scan='{scan}_scans', rejects_limit=0)"
    )


def _keep_errors(con: duckdb.DuckDBPyConnection, scan: str) -> None:
    """Copy DuckDB's connection-local reject table into ``<scan>_rejected``, visible to cursors."""
    con.execute(f"""
        CREATE OR REPLACE TABLE {scan}_rejected AS
        SELECT line, column_name, error_type, csv_line, error_message FROM {scan}_errors
    """)


def _line_rejects(scan: str, path: Path) -> str:
    """One reject per unreadable line (DuckDB may report several errors for it)."""
    return f"""
        SELECT 'youniverse:{path.name}' AS source, any_value(csv_line) AS payload_excerpt,
               'line ' || line || ': ' || string_agg(coalesce(column_name, '?') || ' ' || error_type
                 || ' (' || split_part(error_message, chr(10), 1) || ')', '; ' ORDER BY column_name) AS reason
        FROM {scan}_rejected GROUP BY line"""


def stage_timeseries(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Views ``yn_timeseries`` (typed, distinct, one row per key) and ``yn_timeseries_rejects``.

    Rows sharing a (channel, date) are rare, so they are found with one cheap
    key count instead of a DISTINCT over every column; only those rows are
    de-duplicated (exact copies dropped) and ranked (the larger views wins, the
    other versions become rejects).
    """
    valid = CHANNEL_ID_CHECK.format(col="channel") + " AND datetime IS NOT NULL"
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ts_read AS
        SELECT * FROM {_typed_scan(path, TIMESERIES_FILE_COLUMNS, 'yn_ts')}
    """)
    _keep_errors(con, "yn_ts")
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ts_dupkeys AS
        SELECT channel, CAST(datetime AS DATE) AS day FROM yn_ts_read
        WHERE {valid} GROUP BY ALL HAVING count(*) > 1
    """)
    con.execute(f"""
        CREATE OR REPLACE VIEW yn_ts_conflicts AS
        SELECT *, row_number() OVER (
                   PARTITION BY channel, CAST(datetime AS DATE)
                   ORDER BY views DESC NULLS LAST, subs DESC NULLS LAST, datetime) AS key_rank
        FROM (SELECT DISTINCT r.* FROM yn_ts_read r SEMI JOIN yn_ts_dupkeys k
                ON r.channel = k.channel AND CAST(r.datetime AS DATE) = k.day
              WHERE {valid})
    """)
    columns = ("channel AS channel_id, CAST(datetime AS DATE) AS observed_on, category, "
               "views, delta_views, subs, delta_subs, videos, delta_videos, activity")
    con.execute(f"""
        CREATE OR REPLACE VIEW yn_timeseries AS
        SELECT {columns} FROM yn_ts_read r
        WHERE {valid} AND NOT EXISTS (
            SELECT 1 FROM yn_ts_dupkeys k WHERE k.channel = r.channel AND k.day = CAST(r.datetime AS DATE))
        UNION ALL
        SELECT {columns} FROM yn_ts_conflicts WHERE key_rank = 1
    """)
    con.execute(f"""
        CREATE OR REPLACE VIEW yn_timeseries_rejects AS
        {_line_rejects('yn_ts', path)}
        UNION ALL
        SELECT 'youniverse:{path.name}', concat_ws(chr(9), channel, category, datetime, views),
               CASE WHEN datetime IS NULL THEN 'datetime is empty'
                    ELSE 'channel is not a YouTube channel id (columns shifted?)' END
        FROM yn_ts_read WHERE NOT ({valid}) OR channel IS NULL
        UNION ALL
        SELECT 'youniverse:{path.name}', concat_ws(chr(9), channel, category, datetime, views, subs, videos),
               'second, different row for the same channel and date (kept the larger views)'
        FROM yn_ts_conflicts WHERE key_rank > 1
    """)


def stage_channels(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Tables ``yn_channels`` and ``yn_channels_rejects`` from the channel list.

    The published TSV is read strictly typed; other exports of it (the comma
    CSV with a pandas index column and extra columns) through a tolerant
    auto-detected read that picks the known columns by name.
    """
    header = _header(path)
    if header == list(CHANNELS_FILE_COLUMNS):
        source_sql = _typed_scan(path, CHANNELS_FILE_COLUMNS, "yn_ch")
    else:
        casts = ", ".join(f"TRY_CAST({c} AS {t}) AS {c}" for c, t in CHANNELS_FILE_COLUMNS.items())
        source_sql = f"(SELECT {casts} FROM read_csv({_sql_str(str(path))}, header=true, all_varchar=true))"
        con.execute("CREATE OR REPLACE TEMP TABLE yn_ch_errors (line BIGINT, column_name VARCHAR, "
                    "error_type VARCHAR, csv_line VARCHAR, error_message VARCHAR)")
    con.execute(f"CREATE OR REPLACE TABLE yn_ch_read AS SELECT DISTINCT * FROM {source_sql}")
    _keep_errors(con, "yn_ch")
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_ch_ranked AS
        SELECT *, row_number() OVER (PARTITION BY channel ORDER BY subscribers_cc DESC NULLS LAST,
                                     join_date NULLS LAST) AS key_rank
        FROM yn_ch_read WHERE {CHANNEL_ID_CHECK.format(col='channel')}
    """)
    con.execute("""
        CREATE OR REPLACE TABLE yn_channels AS
        SELECT channel AS channel_id, category_cc AS category, join_date, name_cc AS name,
               CAST(round(subscribers_cc) AS BIGINT) AS subscribers_cc,
               CAST(round(videos_cc) AS BIGINT) AS videos_cc, subscriber_rank_sb, weights
        FROM yn_ch_ranked WHERE key_rank = 1
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE yn_channels_rejects AS
        {_line_rejects('yn_ch', path)}
        UNION ALL
        SELECT 'youniverse:{path.name}', concat_ws(chr(9), category_cc, join_date, channel, name_cc),
               'channel is not a YouTube channel id (columns shifted?)'
        FROM yn_ch_read WHERE NOT ({CHANNEL_ID_CHECK.format(col='channel')}) OR channel IS NULL
        UNION ALL
        SELECT 'youniverse:{path.name}', concat_ws(chr(9), category_cc, join_date, channel, name_cc),
               'second, different row for the same channel (kept the larger subscribers_cc)'
        FROM yn_ch_ranked WHERE key_rank > 1
    """)
