"""The query parameters of every route, as pydantic models (FastAPI reads them from the query string).

Unknown parameters are refused (``extra="forbid"``) so a misspelt filter is a 422,
not a silently unfiltered answer. Enumerated words come from ``api.vocabulary``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from api.vocabulary import GrowthOrder, Metric, Period, Platform, Status, TopBy

MAX_LIMIT = 100
DEFAULT_MIN_VALUE = 1000

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only ISO days: pydantic alone would also read a number as a Unix time."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("a date like 2024-03-10 (YYYY-MM-DD)")


Day = Annotated[date, BeforeValidator(_iso_day)]
Cursor = Annotated[str | None, Field(
    None, max_length=2000,
    description="Opaque token from the previous page's `next_cursor`; omit it for the first page. "
                "Only valid with the same filters it was issued for.")]
PlatformFilter = Annotated[Platform | None, Field(None, description="Only this platform.")]
MetricFilter = Annotated[Metric | None, Field(None, description="Only this metric.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _page_limit(default: int) -> Any:
    return Field(default, ge=1, le=MAX_LIMIT, description=f"Rows per page (1–{MAX_LIMIT}).")


class ArtistsQuery(Strict):
    q: str | None = Field(
        None, min_length=1, max_length=200,
        description="Case-insensitive substring of the artist's name, or an exact id "
                    "(artist_id, YouTube channel id, Spotify artist id or Instagram username).")
    platform: Platform | None = Field(None, description="Only artists with an account on this platform.")
    status: Status | None = Field(
        None, description="Only artists with this status; with `platform`, that platform's own status.")
    limit: int = _page_limit(50)
    cursor: Cursor


class MetricsQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    platform: PlatformFilter
    metric: MetricFilter
    from_: Day | None = Field(
        None, alias="from",
        description="First week (ISO date, inclusive). With `from` or `to` the answer is the weekly "
                    "series; without either, the latest value of each metric.")
    to: Day | None = Field(None, description="Last week (ISO date, inclusive).")

    @field_validator("to")
    @classmethod
    def _to_not_before_from(cls, to: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_")
        if to is not None and start is not None and to < start:
            raise ValueError(f"`to` ({to}) is before `from` ({start})")
        return to

    @property
    def is_series(self) -> bool:
        return self.from_ is not None or self.to is not None


class ArtistGrowthQuery(Strict):
    period: Period | None = Field(None, description="Only this growth window.")
    platform: PlatformFilter
    metric: MetricFilter
    as_of: Day | None = Field(
        None, description="Windows ending on this day; default: each platform × metric × period's latest window of the artist.")


class GrowthScope(Strict):
    """The one growth window every artist is compared on."""

    platform: Platform = Field(description="Platform of the metric.")
    metric: Metric = Field(description="Metric whose growth is compared.")
    period: Period = Field(Period.d30, description="Growth window.")


class GrowthListQuery(GrowthScope):
    as_of: Day | None = Field(None, description="End of the window; default: the latest one of this platform × metric × period.")
    order: GrowthOrder = Field(GrowthOrder.pct_desc, description="Sort order; growth from 0 (no percentage) sorts last.")
    limit: int = _page_limit(50)
    cursor: Cursor


class TopQuery(GrowthScope):
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description=f"How many growers (1–{MAX_LIMIT}).")
    min_value: float = Field(
        DEFAULT_MIN_VALUE, ge=0, allow_inf_nan=False,
        description="A grower needs at least this value at the end of the window, so 1 → 2 (+100 %) is not a top grower.")
    by: TopBy = Field(TopBy.pct, description="Rank by percentage growth (`pct`) or absolute change (`abs`).")


class FilterQuery(GrowthScope):
    lt: float | None = Field(None, allow_inf_nan=False, description="Latest value below this (e.g. 50000: fewer than 50,000 followers).")
    gt: float | None = Field(None, allow_inf_nan=False, validate_default=True, description="Latest value above this.")
    order: GrowthOrder = Field(GrowthOrder.pct_desc, description="Sort order; growth from 0 (no percentage) sorts last.")
    limit: int = _page_limit(50)
    cursor: Cursor

    @field_validator("gt")
    @classmethod
    def _a_bound_that_can_hold(cls, gt: float | None, info: ValidationInfo) -> float | None:
        lt = info.data.get("lt")
        if gt is None and lt is None and "lt" in info.data:
            raise ValueError("give `lt`, `gt` or both (e.g. lt=50000)")
        if gt is not None and lt is not None and gt >= lt:
            raise ValueError(f"`gt` ({gt:g}) must be below `lt` ({lt:g}): no value lies between")
        return gt


class AnomalyFilter(Strict):
    since: Day | None = Field(None, description="Only weeks ending on or after this day.")
    platform: PlatformFilter
    metric: MetricFilter
    include_review: bool = Field(
        False, description="Also weeks a detector flagged without the agreement that makes an anomaly (kept for review).")


class AnomaliesQuery(AnomalyFilter):
    limit: int = _page_limit(100)
    cursor: Cursor
