"""The weekly refresh's input: the held-back latest week upserted into the raw history.

It lands the way a load does, through the YouNiverse loader's own
:func:`ingestion.youniverse.append_timeseries`: read and checked by the same
code as the history, then merged by dlt on (channel_id, observed_on) in one
load package, so staging sees all of the week or none of it.
"""

from __future__ import annotations

from bench.config import BenchConfig
from ingestion.youniverse import append_timeseries
from ingestion.youniverse.readers import find_file
from ingestion.youniverse.settings import TIMESERIES_STEM

# The benchmark's own dlt pipeline: the week must go through the one that loaded the history.
PIPELINE_NAME = "urated_bench"


def append_new_week(config: BenchConfig) -> dict:
    """Upsert the week in ``config.new_week_dir`` into ``raw_youniverse.timeseries``; return rows and load id."""
    return append_timeseries(find_file(config.new_week_dir, TIMESERIES_STEM),
                             pipelines_dir=config.dlt_dir, pipeline_name=PIPELINE_NAME)
