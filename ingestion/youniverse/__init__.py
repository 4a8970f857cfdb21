"""The YouNiverse history (2015 - Sep 2019) loaded columnar into ``raw_youniverse``.

DuckDB reads and checks the TSVs (typed, exact duplicates dropped, shifted
lines rejected with a reason). The small tables (channels, rejects) reach dlt
as Arrow batches; the time series never becomes Python objects: DuckDB writes
it straight into the warehouse under the dlt load's id (default, fastest), or
as a Parquet file dlt imports as is. The files are a closed, published
snapshot: tables are *replaced* on each load (loading twice adds no rows) and
the natural keys are declared for documentation and tests.
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
from ingestion.youniverse.readers import find_file, stage_channels, stage_timeseries
from ingestion.youniverse.settings import BATCH_ROWS, CHANNELS_STEM, SOURCE, TIMESERIES_STEM
from urated.settings import warehouse_path, youniverse_dir

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
    """An in-memory DuckDB holding the checked files (see :mod:`readers`)."""
    base = Path(folder) if folder else youniverse_dir()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # runs log, they do not draw bars
    stage_channels(con, Path(channels_file) if channels_file else find_file(base, CHANNELS_STEM))
    stage_timeseries(con, Path(timeseries_file) if timeseries_file else find_file(base, TIMESERIES_STEM))
    return con


@dlt.source(name="youniverse")
def youniverse_source(folder: Path | None = None, channels_file: Path | None = None,
                      timeseries_file: Path | None = None, batch_rows: int = BATCH_ROWS,
                      staging: duckdb.DuckDBPyConnection | None = None) -> Any:
    """``channels``, ``timeseries`` and ``rejects`` from the YouNiverse files in ``folder``.

    ``folder`` defaults to ``urated.settings.youniverse_dir()``; explicit file
    paths override the standard names (other exports of the channel list are
    read tolerantly). ``staging`` is a DuckDB connection already staged by
    :func:`stage_files`; without it the files are staged on first use.
    """
    state: dict[str, Any] = {"con": staging} if staging is not None else {}

    def connection() -> duckdb.DuckDBPyConnection:
        # One in-memory DuckDB shared by the three resources, staged on first use.
        if "con" not in state:
            state["con"] = stage_files(folder, channels_file, timeseries_file)
        return state["con"]

    @dlt.resource(name="channels", primary_key="channel_id", write_disposition="replace")
    def channels() -> Iterator[Any]:
        yield from _batches(connection(), "yn_channels", batch_rows)

    @dlt.resource(name="timeseries", primary_key=["channel_id", "observed_on"], write_disposition="replace")
    def timeseries() -> Iterator[Any]:
        # The bulk table skips Python entirely: DuckDB writes Parquet in parallel,
        # dlt imports the file as is and its DuckDB loader reads it natively.
        con = connection().cursor()
        with tempfile.TemporaryDirectory(prefix="youniverse_") as tmp:
            target = Path(tmp) / "timeseries.parquet"
            query = _load_id_column("yn_timeseries")
            con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE {batch_rows})")
            rows = con.execute(f"SELECT count(*) FROM '{target}'").fetchall()[0][0]
            schema = con.sql(f"{query} LIMIT 0").to_arrow_table()
            yield dlt.mark.with_file_import(str(target), "parquet", items_count=rows, hints=schema)

    @dlt.resource(name="rejects", write_disposition="replace", columns=REJECT_COLUMNS)
    def rejects() -> Iterator[Any]:
        stamp = datetime.now(timezone.utc).isoformat()
        relation = (f"(SELECT *, TIMESTAMPTZ '{stamp}' AS rejected_at FROM yn_channels_rejects "
                    f"UNION ALL SELECT *, TIMESTAMPTZ '{stamp}' FROM yn_timeseries_rejects)")
        yield from _batches(connection(), relation, batch_rows)

    return channels, timeseries, rejects


def _bulk_write_timeseries(staging: duckdb.DuckDBPyConnection, load_id: str) -> int:
    """Replace ``raw_youniverse.timeseries`` in one DuckDB transaction, stamped with ``load_id``."""
    staging.execute(f"ATTACH '{warehouse_path()}' AS wh")
    try:
        staging.execute("BEGIN")
        staging.execute(f"CREATE SCHEMA IF NOT EXISTS wh.{dataset_name(SOURCE)}")
        staging.execute(f"""
            CREATE OR REPLACE TABLE wh.{dataset_name(SOURCE)}.timeseries (
                channel_id VARCHAR NOT NULL, observed_on DATE NOT NULL, category VARCHAR,
                views DOUBLE, delta_views DOUBLE, subs DOUBLE, delta_subs DOUBLE,
                videos DOUBLE, delta_videos DOUBLE, activity DOUBLE, _dlt_load_id VARCHAR NOT NULL)
        """)
        staging.execute(f"INSERT INTO wh.{dataset_name(SOURCE)}.timeseries "
                        f"SELECT *, '{load_id}' FROM yn_timeseries")
        rows = staging.execute(f"SELECT count(*) FROM wh.{dataset_name(SOURCE)}.timeseries").fetchall()[0][0]
        staging.execute("COMMIT")
        return rows
    except BaseException:
        staging.execute("ROLLBACK")
        raise
    finally:
        staging.execute("DETACH wh")


def load_youniverse(folder: Path | None = None, *, pipelines_dir: Path | None = None,
                    pipeline_name: str | None = None, channels_file: Path | None = None,
                    timeseries_file: Path | None = None, method: str = "duckdb") -> dict[str, Any]:
    """Load the files into ``raw_youniverse``; returns row counts, seconds and rows/s.

    ``method="duckdb"`` (default, measured fastest): dlt extracts and normalizes
    ``channels`` and ``rejects``; before dlt loads that package, DuckDB writes
    ``timeseries`` straight into the warehouse in one transaction stamped with
    the package's load id. dlt then records the load in ``_dlt_loads``, so the
    rows become visible to staging (``status = 0``) only once everything landed.
    ``method="dlt"`` sends the time series through dlt as an imported Parquet file.
    """
    if method not in ("duckdb", "dlt"):
        raise ValueError(f"method must be 'duckdb' or 'dlt', not {method!r}")
    started = time.perf_counter()
    pipeline = make_pipeline(SOURCE, pipelines_dir=pipelines_dir, pipeline_name=pipeline_name)
    staging = stage_files(folder, channels_file, timeseries_file)
    source = youniverse_source(staging=staging)
    bulk_rows = None
    if method == "duckdb":
        source = source.with_resources("channels", "rejects")
    pipeline.extract(source)
    pipeline.normalize()
    if method == "duckdb":
        load_id = pipeline.list_normalized_load_packages()[-1]
        bulk_rows = _bulk_write_timeseries(staging, load_id)
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
