"""The YouNiverse files as a dlt source: checked in a staging DuckDB, handed to dlt as Arrow batches.

DuckDB reads and checks the files (:mod:`readers`, :mod:`timeseries`) in a
private in-memory database bounded by ``URATED_DUCKDB_MEMORY``; the resources
then stream the checked rows out of it with DuckDB's Arrow reader, so no row
becomes a Python object. dlt writes the batches to Parquet as they come and
its loader inserts the files, under a load package, state and schema like
every other source.

Two shapes of the same source (schema ``youniverse``):

- the history (:func:`youniverse_source`): ``channels``, ``timeseries`` and
  ``rejects`` *replaced* (a closed, published snapshot: loading twice adds no
  rows);
- a later week (:func:`youniverse_week`): ``timeseries`` *merged* on
  (channel_id, observed_on), so a key loaded again replaces its row, and its
  ``rejects`` appended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import dlt
import duckdb
import pyarrow as pa

from ingestion.rejects import REJECT_COLUMNS
from ingestion.youniverse.readers import find_file, stage_channels
from ingestion.youniverse.session import open_staging
from ingestion.youniverse.settings import BATCH_ROWS, CHANNELS_STEM, SOURCE, TIMESERIES_STEM
from ingestion.youniverse.timeseries import CHECKED, REJECTS, check_timeseries
from urated.settings import youniverse_dir

KEY = ["channel_id", "observed_on"]


def not_null(*names: str) -> dict[str, dict[str, Any]]:
    """Column hints for ``names``, one dict each (dlt writes the name into a hint dict it is given)."""
    return {name: {"nullable": False} for name in names}


# Guaranteed by the checks; declared so the warehouse enforces it and readers can rely on it.
TIMESERIES_COLUMNS = not_null(*KEY, "_dlt_load_id")
CHANNELS_COLUMNS = not_null("channel_id", "_dlt_load_id")
# The checks leave one row per key, so dlt's own de-duplication of the staged week is skipped.
WEEK_MERGE = {"disposition": "merge", "strategy": "delete-insert", "deduplicated": True}


@dataclass
class StagedFiles:
    """A staging DuckDB holding the checked rows of ``timeseries`` (and ``channels`` for the history)."""

    con: duckdb.DuckDBPyConnection
    timeseries: Path
    channels: Path | None = None

    def close(self) -> None:
        self.con.close()


def stage_history(folder: Path | None = None, channels_file: Path | None = None,
                  timeseries_file: Path | None = None) -> StagedFiles:
    """Read and check both history files; ``folder`` defaults to ``urated.settings.youniverse_dir()``.

    Explicit paths override the standard names (other exports of the channel
    list are read tolerantly).
    """
    base = Path(folder) if folder else youniverse_dir()
    channels = Path(channels_file) if channels_file else find_file(base, CHANNELS_STEM)
    timeseries = Path(timeseries_file) if timeseries_file else find_file(base, TIMESERIES_STEM)
    con = open_staging()
    try:
        stage_channels(con, channels)
        check_timeseries(con, timeseries)
    except BaseException:
        con.close()
        raise
    return StagedFiles(con, timeseries, channels)


def stage_week(path: Path) -> StagedFiles:
    """Read and check a later time series file, exactly as the history's."""
    con = open_staging()
    try:
        check_timeseries(con, Path(path))
    except BaseException:
        con.close()
        raise
    return StagedFiles(con, Path(path))


def _arrow_batches(con: duckdb.DuckDBPyConnection, relation: str, batch_rows: int,
                   columns: dict[str, dict[str, Any]]) -> Iterator[Any]:
    """Arrow batches of ``relation`` stamped with this package's load id; an empty one still yields its schema.

    Fields are marked not null as ``columns`` (the resource's hints) declare:
    an Arrow schema that matches dlt's lets dlt write each batch as it is.
    """
    # dlt adds no _dlt_load_id to Arrow items by default; a constant column costs DuckDB nothing.
    load_id = dlt.current.load_package_state()["load_id"]
    # A cursor of its own: dlt interleaves resources, and a DuckDB connection streams one result at a time.
    reader = con.cursor().sql(f"SELECT *, '{load_id}' AS _dlt_load_id FROM {relation}").to_arrow_reader(batch_rows)
    required = {name for name, hints in columns.items() if hints.get("nullable") is False}
    schema = pa.schema([field.with_nullable(field.name not in required) for field in reader.schema])
    empty = True
    for batch in reader:
        if batch.num_rows:
            empty = False
            yield pa.RecordBatch.from_arrays(batch.columns, schema=schema)  # no copy: only the schema changes
    if empty:
        yield schema.empty_table()


def _timeseries(staged: StagedFiles, write_disposition: Any, batch_rows: int, remember_as: str) -> Any:
    """The checked time series; once streamed, the file is remembered in the source state under ``remember_as``."""

    @dlt.resource(name="timeseries", primary_key=KEY, columns=TIMESERIES_COLUMNS,
                  write_disposition=write_disposition)
    def timeseries() -> Iterator[Any]:
        rows = 0
        for batch in _arrow_batches(staged.con, CHECKED, batch_rows, TIMESERIES_COLUMNS):
            rows += batch.num_rows
            yield batch
        # Committed with the package: the warehouse knows what it holds, and appends require a history.
        state = dlt.current.source_state()
        state[remember_as] = {"file": staged.timeseries.name, "rows": rows,
                              "load_id": dlt.current.load_package_state()["load_id"]}
        if remember_as == "history":
            state.pop("last_week", None)  # a new history replaces the weeks appended to the old one

    return timeseries


def _rejects(staged: StagedFiles, write_disposition: str, batch_rows: int) -> Any:
    """Unreadable lines, rows without a key and losing duplicates, with their reason."""

    @dlt.resource(name="rejects", columns=REJECT_COLUMNS, write_disposition=write_disposition)
    def rejects() -> Iterator[Any]:
        stamp = f"TIMESTAMPTZ '{datetime.now(timezone.utc).isoformat()}'"
        parts = [REJECTS] + (["yn_channels_rejects"] if staged.channels else [])
        relation = "(" + " UNION ALL ".join(f"SELECT *, {stamp} AS rejected_at FROM {t}" for t in parts) + ")"
        yield from _arrow_batches(staged.con, relation, batch_rows, REJECT_COLUMNS)

    return rejects


@dlt.source(name=SOURCE)
def youniverse_source(staged: StagedFiles, batch_rows: int = BATCH_ROWS) -> Any:
    """The history (:func:`stage_history`): ``channels``, ``timeseries`` and ``rejects``, each replaced."""

    @dlt.resource(name="channels", primary_key="channel_id", columns=CHANNELS_COLUMNS, write_disposition="replace")
    def channels() -> Iterator[Any]:
        yield from _arrow_batches(staged.con, "yn_channels", batch_rows, CHANNELS_COLUMNS)

    return (channels, _timeseries(staged, "replace", batch_rows, "history"),
            _rejects(staged, "replace", batch_rows))


@dlt.source(name=SOURCE)
def youniverse_week(staged: StagedFiles, batch_rows: int = BATCH_ROWS) -> Any:
    """A later week (:func:`stage_week`): ``timeseries`` merged on its key, ``rejects`` appended."""
    return _timeseries(staged, WEEK_MERGE, batch_rows, "last_week"), _rejects(staged, "append", batch_rows)
