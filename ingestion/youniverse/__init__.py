"""The YouNiverse history (2015 - Sep 2019) loaded columnar into ``raw_youniverse``.

DuckDB reads and checks the TSVs (typed, exact duplicates dropped, shifted
lines rejected with a reason). The small tables (channels, rejects) reach dlt
as Arrow batches; the time series never becomes Python objects nor an
in-memory table: DuckDB parses the file straight into the warehouse table
under the dlt load's id (default, fastest, memory-bounded), or into a staging
table exported as a Parquet file dlt imports as is. The files are a closed,
published snapshot: tables are *replaced* on each load (loading twice adds no
rows) and the natural keys are declared for documentation and tests. The
weekly refresh appends to the same table with :func:`append_timeseries`.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import dlt
import duckdb

from ingestion.pipeline import dataset_name, make_pipeline
from ingestion.rejects import REJECT_COLUMNS
from ingestion.youniverse.append import append_timeseries
from ingestion.youniverse.readers import find_file, sql_str, stage_channels
from ingestion.youniverse.session import open_staging
from ingestion.youniverse.settings import BATCH_ROWS, CHANNELS_STEM, SOURCE, TIMESERIES_STEM
from ingestion.youniverse.timeseries import REJECTS, write_timeseries
from urated.settings import warehouse_path, youniverse_dir

__all__ = ["append_timeseries", "load_youniverse", "stage_files", "youniverse_source"]

WAREHOUSE_TIMESERIES = f"wh.{dataset_name(SOURCE)}.timeseries"

log = logging.getLogger("urated.ingestion.youniverse")


def _load_id_column(relation: str) -> str:
    """``relation`` plus dlt's ``_dlt_load_id`` (dlt adds none to Arrow items by default)."""
    load_id = dlt.current.load_package_state()["load_id"]
    return f"SELECT *, '{load_id}' AS _dlt_load_id FROM {relation}"


def _batches(con: duckdb.DuckDBPyConnection, relation: str, batch_rows: int) -> Iterator[Any]:
    """Arrow batches of ``relation``; an empty relation still yields its schema so the table exists."""
    # A cursor of its own: dlt interleaves resources, and a DuckDB connection
    # streams one result at a time.
    reader = con.cursor().sql(_load_id_column(relation)).to_arrow_reader(batch_rows)
    empty = True
    for batch in reader:
        if batch.num_rows:
            empty = False
            yield batch
    if empty:
        yield reader.schema.empty_table()


def stage_files(folder: Path | None = None, channels_file: Path | None = None,
                timeseries_file: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A staging DuckDB holding the checked channel list; the time series file is only located.

    The time series is read later, by :func:`write_timeseries`, once the load id
    it is stamped with exists; its path waits in the table ``yn_files``.
    """
    base = Path(folder) if folder else youniverse_dir()
    con = open_staging()
    stage_channels(con, Path(channels_file) if channels_file else find_file(base, CHANNELS_STEM))
    path = Path(timeseries_file) if timeseries_file else find_file(base, TIMESERIES_STEM)
    con.execute(f"CREATE OR REPLACE TABLE yn_files AS SELECT 'timeseries' AS name, {sql_str(str(path))} AS path")
    return con


@dlt.source(name="youniverse")
def youniverse_source(folder: Path | None = None, channels_file: Path | None = None,
                      timeseries_file: Path | None = None, batch_rows: int = BATCH_ROWS,
                      staging: duckdb.DuckDBPyConnection | None = None,
                      timeseries_target: str = "yn_timeseries") -> Any:
    """``channels``, ``timeseries`` and ``rejects`` from the YouNiverse files in ``folder``.

    ``folder`` defaults to ``urated.settings.youniverse_dir()``; explicit file
    paths override the standard names (other exports of the channel list are
    read tolerantly). ``staging`` is a DuckDB connection already staged by
    :func:`stage_files`; without it the files are staged on first use. The
    checked time series is written to the table ``timeseries_target`` of the
    staging connection (a table of an attached warehouse skips dlt for it).
    """
    state: dict[str, Any] = {"con": staging} if staging is not None else {}

    def connection() -> duckdb.DuckDBPyConnection:
        # One staging DuckDB shared by the three resources, staged on first use.
        if "con" not in state:
            state["con"] = stage_files(folder, channels_file, timeseries_file)
        return state["con"]

    def checked_timeseries() -> str:
        # Read once per load, by whichever resource needs it first, stamped with this package's id.
        if "timeseries" not in state:
            con = connection()
            path = Path(con.execute("SELECT path FROM yn_files WHERE name = 'timeseries'").fetchone()[0])
            load_id = dlt.current.load_package_state()["load_id"]
            state["rows"] = write_timeseries(con, path, timeseries_target, load_id)
            state["timeseries"] = timeseries_target
        return state["timeseries"]

    @dlt.resource(name="channels", primary_key="channel_id", write_disposition="replace")
    def channels() -> Iterator[Any]:
        yield from _batches(connection(), "yn_channels", batch_rows)

    @dlt.resource(name="timeseries", primary_key=["channel_id", "observed_on"], write_disposition="replace")
    def timeseries() -> Iterator[Any]:
        # The bulk table skips Python entirely: DuckDB writes Parquet in parallel,
        # dlt imports the file as is and its DuckDB loader reads it natively.
        relation = checked_timeseries()  # already carries _dlt_load_id
        con = connection().cursor()
        with tempfile.TemporaryDirectory(prefix="youniverse_") as tmp:
            target = Path(tmp) / "timeseries.parquet"
            con.execute(f"COPY {relation} TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE {batch_rows})")
            schema = con.sql(f"SELECT * FROM {relation} LIMIT 0").to_arrow_table()
            yield dlt.mark.with_file_import(str(target), "parquet", items_count=state["rows"], hints=schema)

    @dlt.resource(name="rejects", write_disposition="replace", columns=REJECT_COLUMNS)
    def rejects() -> Iterator[Any]:
        checked_timeseries()
        stamp = datetime.now(timezone.utc).isoformat()
        relation = (f"(SELECT *, TIMESTAMPTZ '{stamp}' AS rejected_at FROM yn_channels_rejects "
                    f"UNION ALL SELECT *, TIMESTAMPTZ '{stamp}' FROM {REJECTS})")
        yield from _batches(connection(), relation, batch_rows)

    return channels, timeseries, rejects


def load_youniverse(folder: Path | None = None, *, pipelines_dir: Path | None = None,
                    pipeline_name: str | None = None, channels_file: Path | None = None,
                    timeseries_file: Path | None = None, method: str = "duckdb") -> dict[str, Any]:
    """Load the files into ``raw_youniverse``; returns row counts, seconds and rows/s.

    ``method="duckdb"`` (default, measured fastest): while dlt extracts
    ``channels`` and ``rejects``, DuckDB parses ``timeseries`` straight into the
    warehouse table in one transaction stamped with the package's load id (the
    file is never held in memory; see :mod:`ingestion.youniverse.timeseries`).
    dlt then records the load in ``_dlt_loads``, so the rows become visible to
    staging (``status = 0``) only once everything landed. ``method="dlt"``
    stages the time series in DuckDB (spilling to disk past the memory limit)
    and sends it through dlt as an imported Parquet file: slower.
    """
    if method not in ("duckdb", "dlt"):
        raise ValueError(f"method must be 'duckdb' or 'dlt', not {method!r}")
    started = time.perf_counter()
    pipeline = make_pipeline(SOURCE, pipelines_dir=pipelines_dir, pipeline_name=pipeline_name)
    staging = stage_files(folder, channels_file, timeseries_file)
    try:
        if method == "duckdb":
            # Attached only while dlt extracts: its loader opens the same file afterwards.
            staging.execute(f"ATTACH {sql_str(str(warehouse_path()))} AS wh")
            staging.execute(f"CREATE SCHEMA IF NOT EXISTS wh.{dataset_name(SOURCE)}")
            source = youniverse_source(staging=staging, timeseries_target=WAREHOUSE_TIMESERIES)
            pipeline.extract(source.with_resources("channels", "rejects"))
            bulk_rows = staging.execute(f"SELECT count(*) FROM {WAREHOUSE_TIMESERIES}").fetchone()[0]
            staging.execute("DETACH wh")
        else:
            pipeline.extract(youniverse_source(staging=staging))
            bulk_rows = None
    finally:
        staging.close()
    pipeline.normalize()
    info = pipeline.load()
    seconds = time.perf_counter() - started
    counts = {
        table: count
        for table, count in pipeline.last_trace.last_normalize_info.row_counts.items()
        if not table.startswith("_dlt")
    }
    if bulk_rows is not None:
        counts["timeseries"] = bulk_rows
    rows = counts.get("timeseries", 0) + counts.get("channels", 0)
    summary = {"row_counts": counts, "seconds": round(seconds, 3), "method": method,
               "rows_per_second": round(rows / seconds) if seconds else None,
               "load_ids": list(info.loads_ids)}
    log.info("youniverse loaded: %s", summary)
    return summary
