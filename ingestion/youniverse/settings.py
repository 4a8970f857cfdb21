"""YouNiverse file names and the column types the files are read with.

Metrics stay DOUBLE: the published time series are interpolated to weekly
points and carry fractions; staging decides how to round.
"""

CHANNELS_STEM = "df_channels_en"
TIMESERIES_STEM = "df_timeseries_en"
SUFFIXES = (".tsv", ".tsv.gz")

CHANNELS_FILE_COLUMNS = {
    "category_cc": "VARCHAR",
    "join_date": "DATE",
    "channel": "VARCHAR",
    "name_cc": "VARCHAR",
    "subscribers_cc": "DOUBLE",
    "videos_cc": "DOUBLE",
    "subscriber_rank_sb": "DOUBLE",
    "weights": "DOUBLE",
}

TIMESERIES_FILE_COLUMNS = {
    "channel": "VARCHAR",
    "category": "VARCHAR",
    "datetime": "TIMESTAMP",
    "views": "DOUBLE",
    "delta_views": "DOUBLE",
    "subs": "DOUBLE",
    "delta_subs": "DOUBLE",
    "videos": "DOUBLE",
    "delta_videos": "DOUBLE",
    "activity": "DOUBLE",
}

# The load files DuckDB writes for dlt: whole DuckDB row groups (the loader then
# inserts whole row groups), in files of about this size so dlt's loader has several
# jobs to run side by side at full scale and one at small scale.
DUCKDB_ROW_GROUP = 122_880
LOAD_FILE_BYTES = "256MB"
SOURCE = "youniverse"

# Duplicate keys are found with one bitmap of days per channel; beyond this
# span of dates (about 55 years, so only when a date is garbage) a 64-bit
# hash per key is grouped instead, slower but bounded in memory.
MAX_BITMAP_DAYS = 20_000
