"""The JSON the API answers with, as pydantic models: they are the OpenAPI schema's components.

Field names are the marts' column names (docs/contracts.md), so an answer reads like
the SQL an analyst would write; every number is a mart's, rounded only for display.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.vocabulary import Metric, Period, Platform, Status, TopBy

GROWTH_PCT_DECIMALS = 4


class FieldProblem(BaseModel):
    """One parameter that was refused."""

    field: str = Field(description="The parameter's name, as in the URL (e.g. `platform`, `limit`, `from`).")
    location: str = Field(description="Where it was sent: `query`, `path` or `header`.")
    message: str = Field(description="What is wrong with it.")
    allowed: list[str] | None = Field(None, description="The values it accepts, when it takes one of a fixed list.")


class ErrorBody(BaseModel):
    """Every error answer (401, 404, 422, 429, 503) has this shape; never a traceback."""

    status: int = Field(description="The HTTP status, repeated.")
    error: str = Field(description="A stable code: `unauthorized`, `not_found`, `invalid_request`, `rate_limited`, `no_data`, `query_timeout`.")
    message: str = Field(description="What happened, for a human.")
    fields: list[FieldProblem] = Field(default_factory=list, description="For `invalid_request`: every refused parameter.")


class Artist(BaseModel):
    """One row of `marts.dim_artists`."""

    artist_id: str = Field(description="The artist's id: the watchlist's, or yt_/sp_/ig_ + the account id.")
    artist_name: str = Field(description="Display name.")
    youtube_channel_id: str | None = Field(description="YouTube channel id.")
    spotify_artist_id: str | None = Field(description="Spotify artist id.")
    instagram_username: str | None = Field(description="Instagram username (lower-case).")
    country: str | None = Field(description="Country of the YouTube channel (ISO code), if declared.")
    category: str | None = Field(description="YouNiverse channel category, if any.")
    status: Status = Field(description="active: in the latest API answer of a platform; terminated: gone from every API for more than 28 days; inactive: otherwise.")
    youtube_status: Status | None = Field(description="The YouTube channel's own status; null when never asked.")
    spotify_status: Status | None = Field(description="The Spotify artist's own status; null when never asked.")
    instagram_status: Status | None = Field(description="The Instagram account's own status; null when never asked.")
    is_watchlisted: bool = Field(description="The artist is on the watchlist.")
    first_seen_at: date | None = Field(description="First day any source describes the artist.")
    last_seen_at: date | None = Field(description="Last day any source describes the artist.")


class MetricPoint(BaseModel):
    """One weekly value of `marts.fct_metrics`."""

    platform: Platform = Field(description="Platform.")
    metric: Metric = Field(description="Metric.")
    observed_at: date = Field(description="The Sunday closing the week.")
    value: float = Field(description="The value at the close of that week.")
    source: str = Field(description="Where the value comes from (youniverse, socialblade, viewstats, youtube_api, spotify_api, spotify_web, instagram_api).")
    is_interpolated: bool = Field(description="The week had no real point; the value is a straight line between its neighbours.")
    quality: str | None = Field(description="exact, rounded, degraded, interpolated or junction_break (see the marts' docs).")


class ArtistDetail(Artist):
    """An artist with the latest value of every metric it has."""

    latest: list[MetricPoint] = Field(description="The latest week of every platform × metric, with its date and source.")


class ArtistPage(BaseModel):
    data: list[Artist] = Field(description="Artists in artist_id order.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class MetricsAnswer(BaseModel):
    artist_id: str = Field(description="The artist.")
    mode: Literal["latest", "series"] = Field(description="`latest`: one point per platform × metric; `series`: every week between `from` and `to`.")
    points: list[MetricPoint] = Field(description="Ordered by platform, metric, observed_at.")


class GrowthWindow(BaseModel):
    """One row of `marts.fct_growth`: growth over one window."""

    platform: Platform = Field(description="Platform.")
    metric: Metric = Field(description="Metric.")
    period: Period = Field(description="Window length.")
    as_of: date = Field(description="End of the window.")
    start_at: date | None = Field(description="Start of the window.")
    value_start: float | None = Field(description="Value at start_at.")
    value_end: float | None = Field(description="Value at as_of.")
    abs_change: float | None = Field(description="value_end − value_start (0 when within one 3-significant-figure rounding step).")
    growth_pct: float | None = Field(description=f"Growth in percent (12.5 = +12.5 %), rounded to {GROWTH_PCT_DECIMALS} decimals; null when value_start is 0.")
    growth_rank: int | None = Field(description="Rank of growth_pct among every artist of this platform × metric × period × as_of (1 = fastest).")
    is_within_rounding: bool | None = Field(description="A non-zero change no larger than one rounding step, reported as 0.")
    is_interpolated: bool | None = Field(description="Either end of the window is an interpolated week.")
    source_start: str | None = Field(description="Source of the start value.")
    source_end: str | None = Field(description="Source of the end value.")
    quality_end: str | None = Field(description="Quality of the end point (junction_break: right after a failed hand-over).")


class ArtistGrowthAnswer(BaseModel):
    artist_id: str = Field(description="The artist.")
    windows: list[GrowthWindow] = Field(description="Ordered by platform, metric, period.")


class ArtistGrowth(GrowthWindow):
    artist_id: str = Field(description="The artist.")
    artist_name: str = Field(description="Display name.")


class GrowthPage(BaseModel):
    platform: Platform = Field(description="Platform compared.")
    metric: Metric = Field(description="Metric compared.")
    period: Period = Field(description="Window compared.")
    as_of: date | None = Field(description="End of the window (null when there is no growth data for this platform × metric × period).")
    data: list[ArtistGrowth] = Field(description="One row per artist, in the requested order.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class TopGrower(ArtistGrowth):
    rank: int = Field(description="Position among the qualifying growers (ties share a rank), by `by`.")


class TopAnswer(BaseModel):
    platform: Platform = Field(description="Platform.")
    metric: Metric = Field(description="Metric.")
    period: Period = Field(description="Window.")
    as_of: date | None = Field(description="The latest end of window of this platform × metric × period (null without data).")
    by: TopBy = Field(description="What the ranking orders by.")
    min_value: float = Field(description="Minimum value_end a grower needs.")
    data: list[TopGrower] = Field(description="The top growers, best first.")


class DetectorScore(BaseModel):
    detector: str = Field(description="robust_mad, iforest or ecod.")
    score: float | None = Field(description="The detector's own score (higher = stranger; scales differ per detector).")


class Anomaly(BaseModel):
    """One suspicious week of one artist's metric, from `marts.fct_anomalies`."""

    artist_id: str = Field(description="The artist.")
    artist_name: str = Field(description="Display name.")
    platform: Platform = Field(description="Platform.")
    metric: Metric = Field(description="Metric.")
    week_at: date = Field(description="The Sunday ending the suspicious week.")
    is_anomaly: bool = Field(description="Judged anomalous (the robust rule fired and a pyod detector agreed); false = flagged for review only.")
    kind: str | None = Field(description="What kind of anomaly (e.g. spike, purge), when the mart says.")
    reason: str = Field(description="What happened against the usual, in words.")
    detectors: list[DetectorScore] = Field(description="Every detector that flagged the week, with its score.")


class AnomalyPage(BaseModel):
    data: list[Anomaly] = Field(description="Newest week first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class ArtistAnomalies(BaseModel):
    artist_id: str = Field(description="The artist.")
    data: list[Anomaly] = Field(description="Newest week first.")


class SourceFreshness(BaseModel):
    source: str = Field(description="A source of the marts.")
    newest_observed_at: date | None = Field(description="The newest day this source describes any artist (from `marts.source_coverage`).")


class Health(BaseModel):
    status: Literal["ok", "no_data"] = Field(description="`ok` when a snapshot is served; `no_data` before the first publish.")
    version: str | None = Field(description="Version of the served data (changes exactly when a build is published; the ETag derives from it).")
    published_at: datetime | None = Field(description="When the served data was published.")
    sources: list[SourceFreshness] = Field(description="Data freshness per source.")
