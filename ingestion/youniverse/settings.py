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

# Rows handed to dlt per Arrow batch, so per Parquet row group of the load file. A
# multiple of DuckDB's row group (122,880 rows): the loader then writes whole row
# groups (250,000 rows made it 60 % slower, measured), and two of them keep the
# batches in flight small.
DUCKDB_ROW_GROUP = 122_880
BATCH_ROWS = 2 * DUCKDB_ROW_GROUP
SOURCE = "youniverse"

# Duplicate keys are found with one bitmap of days per channel; beyond this
# span of dates (about 55 years, so only when a date is garbage) a 64-bit
# hash per key is grouped instead, slower but bounded in memory.
MAX_BITMAP_DAYS = 20_000
