"""YouTube Data API v3 constants."""

CHANNELS_PATH = "/channels"
PARTS = "snippet,statistics,status"
BATCH_SIZE = 50  # channels.list accepts at most 50 ids
UNITS_PER_CALL = 1  # channels.list costs one quota unit whatever the parts
KEY_VAR = "YOUTUBE_API_KEY"
# Weekly (phase 4) mode stamps the Sunday closing the week; a run on Monday or
# Tuesday would stamp a value 5-6 days ahead of its Sunday, so it waits.
WEEKLY_SKIP_WEEKDAYS = (0, 1)
SOURCE = "youtube"
