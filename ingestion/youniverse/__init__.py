"""The YouNiverse history (2015 - Sep 2019) and its later weeks, loaded by dlt into ``raw_youniverse``.

DuckDB reads and checks the TSVs (typed, exact duplicates dropped, shifted
lines rejected with a reason, duplicate keys found with a per-channel bitmap)
in a staging database bounded by ``URATED_DUCKDB_MEMORY``; the checked rows
reach dlt as Parquet files DuckDB writes (:mod:`ingestion.youniverse.source`), so the load
has dlt's load package, state and schema like every other source.
:func:`load_youniverse` replaces the history; :func:`append_timeseries`
merges a later week on (channel_id, observed_on).
"""

from ingestion.youniverse.load import append_timeseries, load_youniverse, source_state
from ingestion.youniverse.source import stage_history, stage_week, youniverse_source, youniverse_week

__all__ = ["append_timeseries", "load_youniverse", "source_state", "stage_history", "stage_week",
           "youniverse_source", "youniverse_week"]
