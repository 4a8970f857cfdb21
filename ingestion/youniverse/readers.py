"""Columnar reading of the YouNiverse files with DuckDB: typed, de-duplicated, checked.

Every function fills tables in a DuckDB connection it is given, so no row
passes through Python objects. Lines DuckDB cannot type (a missing category
shifts every later column) are captured with ``store_rejects`` and come back
as reject rows with DuckDB's own reason. The time series has its own module
(:mod:`ingestion.youniverse.timeseries`): it is too large to stage in memory.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

from ingestion.youniverse.settings import CHANNELS_FILE_COLUMNS, DUCKDB_ROW_GROUP, LOAD_FILE_BYTES, SUFFIXES

CHANNEL_ID_CHECK = "length({col}) = 24 AND starts_with({col}, 'UC')"


def find_file(folder: Path, stem: str) -> Path:
    """``<stem>.tsv`` or ``<stem>.tsv.gz`` in ``folder``; a clear error naming both otherwise."""
    for suffix in SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"neither {stem}.tsv nor {stem}.tsv.gz in {folder}")


def sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parquet_options(return_stats: bool = False) -> str:
    """How staging writes Parquet: whole DuckDB row groups, in files of ``LOAD_FILE_BYTES``.

    ``return_stats``: the COPY returns one row per file with its path and row count.
    """
    stats = ", RETURN_STATS true" if return_stats else ""
    return f"(FORMAT parquet, FILE_SIZE_BYTES '{LOAD_FILE_BYTES}', ROW_GROUP_SIZE {DUCKDB_ROW_GROUP}{stats})"


def _columns_struct(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"{sql_str(k)}: {sql_str(v)}" for k, v in columns.items()) + "}"


def _header(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as handle:
        return handle.readline().rstrip("\r\n").split("\t")


def typed_scan(path: Path, columns: dict[str, str], scan: str) -> str:
    """A strictly typed read; lines that fail go to ``<scan>_errors`` instead of aborting."""
    return (
        f"read_csv({sql_str(str(path))}, delim='\\t', header=true, quote='', escape='', "
        f"columns={_columns_struct(columns)}, store_rejects=true, "
        f"rejects_table='{scan}_errors', rejects_scan='{scan}_scans', rejects_limit=0)"
    )


def keep_errors(con: duckdb.DuckDBPyConnection, scan: str) -> None:
    """Copy DuckDB's connection-local reject table into ``<scan>_rejected``, visible to cursors."""
    con.execute(f"""
        CREATE OR REPLACE TABLE {scan}_rejected AS
        SELECT line, column_name, error_type, csv_line, error_message FROM {scan}_errors
    """)


def line_rejects(errors_table: str, path: Path) -> str:
    """One reject per unreadable line (DuckDB may report several errors for it)."""
    return f"""
        SELECT 'youniverse:{path.name}' AS source, any_value(csv_line) AS payload_excerpt,
               'line ' || line || ': ' || string_agg(coalesce(column_name, '?') || ' ' || error_type
                 || ' (' || split_part(error_message, chr(10), 1) || ')', '; ' ORDER BY column_name) AS reason
        FROM {errors_table} GROUP BY line"""


def stage_channels(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Tables ``yn_channels`` and ``yn_channels_rejects`` from the channel list.

    The published TSV is read strictly typed; other exports of it (the comma
    CSV with a pandas index column and extra columns) through a tolerant
    auto-detected read that picks the known columns by name.
    """
    header = _header(path)
    if header == list(CHANNELS_FILE_COLUMNS):
        source_sql = typed_scan(path, CHANNELS_FILE_COLUMNS, "yn_ch")
    else:
        casts = ", ".join(f"TRY_CAST({c} AS {t}) AS {c}" for c, t in CHANNELS_FILE_COLUMNS.items())
        source_sql = f"(SELECT {casts} FROM read_csv({sql_str(str(path))}, header=true, all_varchar=true))"
        con.execute("CREATE OR REPLACE TEMP TABLE yn_ch_errors (line BIGINT, column_name VARCHAR, "
                    "error_type VARCHAR, csv_line VARCHAR, error_message VARCHAR)")
    con.execute(f"CREATE OR REPLACE TABLE yn_ch_read AS SELECT DISTINCT * FROM {source_sql}")
    keep_errors(con, "yn_ch")
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
        {line_rejects('yn_ch_rejected', path)}
        UNION ALL
        SELECT 'youniverse:{path.name}', concat_ws(chr(9), category_cc, join_date, channel, name_cc),
               'channel is not a YouTube channel id (columns shifted?)'
        FROM yn_ch_read WHERE NOT ({CHANNEL_ID_CHECK.format(col='channel')}) OR channel IS NULL
        UNION ALL
        SELECT 'youniverse:{path.name}', concat_ws(chr(9), category_cc, join_date, channel, name_cc),
               'second, different row for the same channel (kept the larger subscribers_cc)'
        FROM yn_ch_ranked WHERE key_rank > 1
    """)
