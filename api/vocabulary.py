"""The words the API accepts: platforms, metrics, periods, statuses, orderings.

Platforms and metrics come from the registry of metric sources (``urated.sources``,
declared once in transform/dbt_project.yml), so a new source's metric is a word the
API knows; periods and statuses are the marts' contract (the accepted_values tests in
transform/models/marts/_marts__models.yml; tests/api/test_vocabulary.py keeps them
equal). As enums they become the OpenAPI schema's ``enum`` lists and the allowed
values a 422 names.
"""

from __future__ import annotations

from enum import Enum

from urated import sources

Platform = Enum("Platform", [(p, p) for p in sources.PLATFORMS], type=str)
Platform.__doc__ = "A platform of the marts."
Metric = Enum("Metric", [(m, m) for m in dict.fromkeys(m for s in sources.sources() for m in s.metrics)], type=str)
Metric.__doc__ = "A metric some registered source measures."


class Period(str, Enum):
    d1 = "1d"
    d7 = "7d"
    d30 = "30d"
    d90 = "90d"
    d365 = "365d"


class Status(str, Enum):
    active = "active"
    inactive = "inactive"
    terminated = "terminated"


class GrowthOrder(str, Enum):
    """How a growth listing is sorted; nulls (growth from 0) always last, ties by artist_id."""

    pct_desc = "pct_desc"
    pct_asc = "pct_asc"
    abs_desc = "abs_desc"
    abs_asc = "abs_asc"


class TopBy(str, Enum):
    """What "top" ranks by: percentage growth or absolute change."""

    pct = "pct"
    abs = "abs"


# dim_artists' column holding each platform's account id, and the platform's own status.
PLATFORM_ID_COLUMN = {
    Platform("youtube"): "youtube_channel_id",
    Platform("spotify"): "spotify_artist_id",
    Platform("instagram"): "instagram_username",
}
PLATFORM_STATUS_COLUMN = {p: f"{p.value}_status" for p in Platform}
PERIOD_ORDER = {p.value: i for i, p in enumerate(Period)}

# Every query parameter that takes one of these words, for 422 bodies that list the allowed values.
ALLOWED_VALUES: dict[str, list[str]] = {
    "platform": [p.value for p in Platform],
    "metric": [m.value for m in Metric],
    "period": [p.value for p in Period],
    "status": [s.value for s in Status],
    "order": [o.value for o in GrowthOrder],
    "by": [b.value for b in TopBy],
}
