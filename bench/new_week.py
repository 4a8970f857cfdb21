"""The weekly refresh's input: the held-back latest week upserted into the raw history.

It lands the way a load does, through the YouNiverse loader's own
:func:`ingestion.youniverse.append_timeseries`: read and checked by the same
code as the history, existing (channel, date) rows replaced, one DuckDB
transaction with a fresh load id recorded in ``_dlt_loads`` with status 0, so
staging sees all of the week or none of it.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.youniverse import append_timeseries
from ingestion.youniverse.readers import find_file
from ingestion.youniverse.settings import TIMESERIES_STEM


def append_new_week(warehouse: Path, folder: Path) -> dict:
    """Upsert the week in ``folder`` into ``raw_youniverse.timeseries``; return rows and load id."""
    return append_timeseries(warehouse, find_file(folder, TIMESERIES_STEM))
