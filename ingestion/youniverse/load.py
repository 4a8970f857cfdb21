"""Running the YouNiverse source through the project's dlt pipeline: the history, then later weeks.

The destination is whatever :func:`ingestion.pipeline.make_pipeline` gives:
nothing here opens the warehouse itself. The staging DuckDB is closed as soon
as dlt has extracted the files, so its memory is free while dlt loads.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import dlt

from ingestion.pipeline import make_pipeline
from ingestion.youniverse.laps import Laps
from ingestion.youniverse.settings import SOURCE
from ingestion.youniverse.source import StagedFiles, stage_history, stage_week, youniverse_source, youniverse_week

log = logging.getLogger("urated.ingestion.youniverse")


def _pipeline(pipelines_dir: Path | None, pipeline_name: str | None) -> dlt.Pipeline:
    pipeline = make_pipeline(SOURCE, pipelines_dir=pipelines_dir, pipeline_name=pipeline_name)
    # What ``pipeline.run`` does first: state and schema from the warehouse when the local ones are
    # missing or older, then any package an interrupted run left behind.
    pipeline.sync_destination()
    if pipeline.has_pending_data:
        pipeline.normalize()
        pipeline.load()
    return pipeline


def _run(pipeline: dlt.Pipeline, stage: Callable[[Path], StagedFiles],
         source: Callable[[StagedFiles], Any]) -> tuple[dict[str, int], Any, dict[str, float]]:
    """Extract ``source(stage(scratch))`` (``scratch``: a folder for the files read and written), then normalize and load.

    Returns the data tables' row counts, the load info, and the seconds of each step (reading
    and checking the files, dlt's extract, normalize and load), so a slower load says where.
    """
    lap = Laps()

    # Beside dlt's own files, so the package takes the load files by hard link; gone once extracted.
    with tempfile.TemporaryDirectory(prefix="youniverse_files_", dir=pipeline.working_dir) as scratch:
        staged = stage(Path(scratch))
        lap("stage")
        try:
            pipeline.extract(source(staged))
        finally:
            staged.close()
    lap("extract")
    # The time series is read and checked inside the extract (it needs the load id): count it as staging.
    lap.seconds["stage"] = round(lap.seconds["stage"] + staged.check_seconds, 3)
    lap.seconds["extract"] = round(lap.seconds["extract"] - staged.check_seconds, 3)
    counts = pipeline.normalize().row_counts
    lap("normalize")
    info = pipeline.load()
    lap("load")
    return {table: n for table, n in counts.items() if not table.startswith("_dlt")}, info, lap.seconds


def source_state(pipeline: dlt.Pipeline) -> dict[str, Any]:
    """What the YouNiverse source remembers in ``pipeline``'s state (``history``, ``last_week``)."""
    return pipeline.state.get("sources", {}).get(SOURCE, {})


def load_youniverse(folder: Path | None = None, *, pipelines_dir: Path | None = None,
                    pipeline_name: str | None = None, channels_file: Path | None = None,
                    timeseries_file: Path | None = None) -> dict[str, Any]:
    """Load the history files into ``raw_youniverse``; returns row counts, seconds, rows/s and load ids.

    ``folder`` defaults to ``urated.settings.youniverse_dir()``; explicit file
    paths override the standard names. The tables are replaced, so loading the
    same files twice adds no rows.
    """
    started = time.perf_counter()
    pipeline = _pipeline(pipelines_dir, pipeline_name)
    counts, info, steps = _run(pipeline, lambda scratch: stage_history(scratch, folder, channels_file, timeseries_file),
                               youniverse_source)
    seconds = time.perf_counter() - started
    rows = counts.get("timeseries", 0) + counts.get("channels", 0)
    summary = {"row_counts": counts, "seconds": round(seconds, 3), "step_seconds": steps,
               "rows_per_second": round(rows / seconds) if seconds else None,
               "load_ids": list(info.loads_ids)}
    log.info("youniverse loaded: %s", summary)
    return summary


def _timeseries_rows(pipeline: dlt.Pipeline) -> int:
    with pipeline.sql_client() as client:
        with client.execute_query(f"SELECT count(*) FROM {client.make_qualified_table_name('timeseries')}") as cursor:
            return cursor.fetchone()[0]


def append_timeseries(path: Path, *, pipelines_dir: Path | None = None,
                      pipeline_name: str | None = None) -> dict[str, Any]:
    """Upsert the rows of the time series file ``path`` into ``raw_youniverse.timeseries``.

    Checked exactly like the history, then merged on (channel_id, observed_on):
    a key already loaded is replaced, so raw stays unique per key. Returns
    ``rows`` (rows written), ``replaced`` (existing rows they replaced),
    ``rejects`` and the ``load_id`` they carry. The history must have been
    loaded first, by the same pipeline (``pipeline_name``).
    """
    pipeline = _pipeline(pipelines_dir, pipeline_name)
    if "history" not in source_state(pipeline):
        raise RuntimeError(f"pipeline {pipeline.pipeline_name!r} holds no YouNiverse history in "
                           f"{pipeline.dataset_name}: load the history before appending to it")
    before = _timeseries_rows(pipeline)
    counts, info, _ = _run(pipeline, lambda scratch: stage_week(scratch, path), youniverse_week)
    rows = counts.get("timeseries", 0)
    # Every key is unique before and after, so the rows that vanished are the ones replaced.
    replaced = before + rows - _timeseries_rows(pipeline)
    return {"rows": rows, "replaced": replaced, "rejects": counts.get("rejects", 0), "load_id": info.loads_ids[-1]}
