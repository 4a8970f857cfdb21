"""The YouNiverse files as a dlt source: checked in a staging DuckDB, handed to dlt as Parquet files.

DuckDB reads and checks the files (:mod:`readers`, :mod:`timeseries`) in a
private in-memory database bounded by ``URATED_DUCKDB_MEMORY``. The time
series is parsed inside dlt's extract, straight into Parquet files stamped
with the load package's id; those files are imported into the package
(``dlt.mark.with_file_import``, a hard link), except the few holding a row the
checks leave out, which DuckDB writes again without it. No row becomes a
Python object, and a clean file is written once. dlt's loader inserts the
files, under a load package, state and schema like every other source.

Two shapes of the same source (schema ``youniverse``):

- the history (:func:`youniverse_source`): ``channels``, ``timeseries`` and
  ``rejects`` *replaced* (a closed, published snapshot: loading twice adds no
  rows);
- a later week (:func:`youniverse_week`): ``timeseries`` *merged* on
  (channel_id, observed_on), so a key loaded again replaces its row, and its
  ``rejects`` appended.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import dlt
import duckdb

from ingestion.rejects import REJECT_COLUMNS
from ingestion.youniverse.readers import find_file, parquet_options, sql_str, stage_channels
from ingestion.youniverse.session import open_staging
from ingestion.youniverse.settings import CHANNELS_STEM, SOURCE, TIMESERIES_STEM
from ingestion.youniverse.timeseries import CHECKED, REJECTS, check_timeseries
from urated.settings import youniverse_dir

KEY = ["channel_id", "observed_on"]


# DuckDB writes every Parquet column as optional; a not-null hint would make dlt's normalizer
# rewrite every file to match, so the keys stay nullable in the table. They are never null:
# the checks turn a row without a key into a reject, and dbt tests the keys in staging.
TIMESERIES_COLUMNS = {name: {"nullable": True} for name in (*KEY, "_dlt_load_id")}
CHANNELS_COLUMNS = {name: {"nullable": True} for name in ("channel_id", "_dlt_load_id")}
# The shared reject contract's types, nullable for the same reason.
NULLABLE_REJECT_COLUMNS = {name: {**hints, "nullable": True} for name, hints in REJECT_COLUMNS.items()}
# The checks leave one row per key, so dlt's own de-duplication of the staged week is skipped.
WEEK_MERGE = {"disposition": "merge", "strategy": "delete-insert", "deduplicated": True}


@dataclass
class StagedFiles:
    """A staging DuckDB: the channel list read, the time series read and checked in the package that loads it."""

    con: duckdb.DuckDBPyConnection
    timeseries: Path
    # The files read and the load files: beside dlt's working folder, so importing is a hard link.
    scratch: Path
    channels: Path | None = None
    # Seconds spent reading and checking the time series (inside dlt's extract, see ``check``).
    check_seconds: float = 0.0
    _checked: bool = False
    _load_files: list[tuple[str, int]] | None = None

    def check(self) -> list[tuple[str, int]]:
        """Read and check the time series once, under the current load package's id.

        Done inside the extract, not before it, because the id is only known
        there: the files read carry it, so those holding no left-out row are
        load files as they are. Returns the load files (path, rows) holding
        exactly the checked rows (none when no row passed).
        """
        if not self._checked:
            started = time.perf_counter()
            self._load_files = check_timeseries(self.con, self.timeseries, self.scratch / "read",
                                                dlt.current.load_package_state()["load_id"])
            self._checked = True
            self.check_seconds = time.perf_counter() - started
        return self._load_files

    def close(self) -> None:
        self.con.close()


def stage_history(scratch: Path, folder: Path | None = None, channels_file: Path | None = None,
                  timeseries_file: Path | None = None) -> StagedFiles:
    """Read the channel list and find both history files; ``folder`` defaults to ``urated.settings.youniverse_dir()``.

    Explicit paths override the standard names (other exports of the channel
    list are read tolerantly). The time series is read, into Parquet files
    under ``scratch`` where the load files go too, when dlt extracts it
    (:meth:`StagedFiles.check`).
    """
    base = Path(folder) if folder else youniverse_dir()
    channels = Path(channels_file) if channels_file else find_file(base, CHANNELS_STEM)
    timeseries = Path(timeseries_file) if timeseries_file else find_file(base, TIMESERIES_STEM)
    con = open_staging()
    try:
        stage_channels(con, channels)
    except BaseException:
        con.close()
        raise
    return StagedFiles(con, timeseries, scratch, channels)


def stage_week(scratch: Path, path: Path) -> StagedFiles:
    """A later time series file, read and checked exactly as the history's."""
    if not Path(path).exists():
        raise FileNotFoundError(f"no YouNiverse time series file at {path}")
    return StagedFiles(open_staging(), Path(path), scratch)


def _files_of(cursor: duckdb.DuckDBPyConnection, relation: str, files: list[tuple[str, int]]) -> Iterator[Any]:
    """Parquet files holding ``relation``'s rows, imported into this load package as they are."""
    # dlt does not sniff imported files: the column types come from this (empty) Arrow table.
    schema = cursor.sql(f"SELECT * FROM {relation}").limit(0).to_arrow_table().schema
    for path, rows in files:
        yield dlt.mark.with_file_import(path, "parquet", rows, hints=schema.empty_table())


def _parquet_files(staged: StagedFiles, relation: str, name: str, stamped: bool = False) -> Iterator[Any]:
    """``relation`` written by DuckDB as Parquet files and imported into this load package as they are.

    DuckDB writes the files in parallel straight from the staging database, and
    dlt hard-links them into the package instead of writing every row again
    through its own Parquet writer (that second copy cost about as much as
    reading the TSV). Each file is stamped with this package's load id (unless
    ``relation`` is ``stamped`` already); an empty relation still gives one
    empty file, so the table exists.
    """
    load_id = dlt.current.load_package_state()["load_id"]
    query = f"(SELECT * FROM {relation})" if stamped else f"(SELECT *, {sql_str(load_id)} AS _dlt_load_id FROM {relation})"
    folder = staged.scratch / name
    # A cursor of its own: dlt interleaves resources, and a DuckDB connection runs one statement at a time.
    cursor = staged.con.cursor()
    files = cursor.execute(f"COPY {query} TO {sql_str(str(folder))} {parquet_options(return_stats=True)}").fetchall()
    yield from _files_of(cursor, query, [(path, rows) for path, rows, *_ in files])


def _timeseries(staged: StagedFiles, write_disposition: Any, remember_as: str) -> Any:
    """The checked time series; once streamed, the file is remembered in the source state under ``remember_as``."""

    @dlt.resource(name="timeseries", primary_key=KEY, columns=TIMESERIES_COLUMNS,
                  write_disposition=write_disposition)
    def timeseries() -> Iterator[Any]:
        rows = 0
        load_files = staged.check()
        # No row passed: one empty file written from the (empty) checked rows, so the table exists.
        items = (_files_of(staged.con.cursor(), CHECKED, load_files) if load_files
                 else _parquet_files(staged, CHECKED, "timeseries", stamped=True))
        for item in items:
            rows += item.meta.metrics.items_count
            yield item
        # Committed with the package: the warehouse knows what it holds, and appends require a history.
        state = dlt.current.source_state()
        state[remember_as] = {"file": staged.timeseries.name, "rows": rows,
                              "load_id": dlt.current.load_package_state()["load_id"]}
        if remember_as == "history":
            state.pop("last_week", None)  # a new history replaces the weeks appended to the old one

    return timeseries


def _rejects(staged: StagedFiles, write_disposition: str) -> Any:
    """Unreadable lines, rows without a key and losing duplicates, with their reason."""

    @dlt.resource(name="rejects", columns=NULLABLE_REJECT_COLUMNS, write_disposition=write_disposition)
    def rejects() -> Iterator[Any]:
        staged.check()  # the time series' rejects are known once it is read, whichever resource dlt runs first
        stamp = f"TIMESTAMPTZ '{datetime.now(timezone.utc).isoformat()}'"
        parts = [REJECTS] + (["yn_channels_rejects"] if staged.channels else [])
        relation = "(" + " UNION ALL ".join(f"SELECT *, {stamp} AS rejected_at FROM {t}" for t in parts) + ")"
        yield from _parquet_files(staged, relation, "rejects")

    return rejects


@dlt.source(name=SOURCE)
def youniverse_source(staged: StagedFiles) -> Any:
    """The history (:func:`stage_history`): ``channels``, ``timeseries`` and ``rejects``, each replaced."""

    @dlt.resource(name="channels", primary_key="channel_id", columns=CHANNELS_COLUMNS, write_disposition="replace")
    def channels() -> Iterator[Any]:
        yield from _parquet_files(staged, "yn_channels", "channels")

    return (channels, _timeseries(staged, "replace", "history"),
            _rejects(staged, "replace"))


@dlt.source(name=SOURCE)
def youniverse_week(staged: StagedFiles) -> Any:
    """A later week (:func:`stage_week`): ``timeseries`` merged on its key, ``rejects`` appended."""
    return _timeseries(staged, WEEK_MERGE, "last_week"), _rejects(staged, "append")
