"""ViewStats constants (no public API documentation: the shape is the enrichment spec's)."""

from datetime import date

SOURCE = "viewstats"
WEEKLY_PATH = "/channels/{channel_id}/weekly"
# ViewStats history starts the week of 2022-08-07 (a Sunday).
HISTORY_START = date(2022, 8, 7)
