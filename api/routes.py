"""The ``/v1`` routes: each validates its query, reads the marts through ``api.marts`` and answers.

Routes are ``async``: the cache and 304 paths never leave the event loop; only a
cache miss runs its DuckDB queries in the thread pool (``api.answers.answer``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api import marts
from api.answers import CACHE_CONTROL, answer
from api.cursors import decode, encode
from api.errors import ApiError
from api.queries import (AnomaliesQuery, AnomalyFilter, ArtistGrowthQuery, ArtistsQuery, FilterQuery, GrowthListQuery,
                         MetricsQuery, TopQuery)
from api.schemas import (Anomaly, AnomalyPage, ArtistAnomalies, ArtistDetail, ArtistGrowthAnswer, ArtistPage,
                         ErrorBody, GrowthPage, Health, MetricsAnswer, TopAnswer)
from api.security import charge_anonymous, require_key
from api.snapshots import Lease, NoSnapshotError

ArtistId = Annotated[str, Path(min_length=1, max_length=200, description="The artist's id (`artist_id` of `/v1/artists`).")]

# -- what every answer may carry, for the OpenAPI document -------------------------------------

_QUOTA_HEADERS = {
    "X-RateLimit-Limit": {"description": "Requests allowed per window for this key.", "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in the current window.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {"description": "When the window resets (Unix time, seconds).", "schema": {"type": "integer"}},
}
_DATA_HEADERS = {
    "ETag": {"description": "Version of the served data; send it back as `If-None-Match` to get 304 while it holds.",
             "schema": {"type": "string"}},
    **_QUOTA_HEADERS,
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the data behind your `If-None-Match` ETag has not changed.", "headers": _DATA_HEADERS},
    401: {"model": ErrorBody, "description": "No key, an unknown key, or a revoked one.", "headers": _QUOTA_HEADERS},
    404: {"model": ErrorBody, "description": "No artist with this id.", "headers": _QUOTA_HEADERS},
    422: {"model": ErrorBody, "description": "A parameter was refused: `fields` names each and lists the allowed values.",
          "headers": _QUOTA_HEADERS},
    429: {"model": ErrorBody, "description": "Over this key's rate limit.",
          "headers": {**_QUOTA_HEADERS, "Retry-After": {"description": "Seconds until the window resets.", "schema": {"type": "integer"}}}},
    503: {"model": ErrorBody, "description": "No warehouse has been published yet (run `make demo`): `no_data`; or the "
                                             "answer's queries ran past `URATED_API_QUERY_SECONDS` and were stopped: `query_timeout`.",
          "headers": {"Retry-After": {"description": "Seconds to wait before asking again.", "schema": {"type": "integer"}}}},
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    chosen = {code: _ERRORS[code] for code in (304, 401, 422, 429, 503, *codes)}
    return {200: {"headers": _DATA_HEADERS}, **dict(sorted(chosen.items()))}


router = APIRouter(prefix="/v1", dependencies=[Depends(require_key)])
health_router = APIRouter(prefix="/v1")


def _known_artist(lease: Lease, artist_id: str) -> dict[str, Any]:
    found = marts.artist(lease.cursor, artist_id)
    if found is None:
        raise ApiError(404, f"no artist with id {artist_id!r} (search with /v1/artists?q=...)")
    return found


def _page(rows: list[dict[str, Any]], limit: int, filters: dict[str, Any], position) -> tuple[list[dict], str | None]:
    """The first ``limit`` rows and the cursor after the last one, when a further row exists."""
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode(filters, position(page[-1]))


def _filters(query) -> dict[str, Any]:
    """What a cursor is bound to: every parameter but the page size and the cursor itself."""
    return query.model_dump(mode="json", exclude={"limit", "cursor"})


# -- health -------------------------------------------------------------------------------------

@health_router.get("/health", response_model=Health, tags=["health"], summary="Liveness and data freshness",
                   description="Needs no key (limited per client address). Says which data version is served, when it "
                               "was published, and the newest day each source describes.",
                   responses={200: {"headers": _DATA_HEADERS}, 304: _ERRORS[304], 429: _ERRORS[429]})
async def health(request: Request) -> Response:
    await charge_anonymous(request)
    try:
        snapshot = request.app.state.services.reader.snapshot()
    except NoSnapshotError:
        body = Health(status="no_data", version=None, published_at=None, sources=[])
        return Response(body.model_dump_json(), media_type="application/json", headers={"Cache-Control": CACHE_CONTROL})

    def compute(lease: Lease) -> Health:
        return Health(status="ok", version=lease.version, published_at=snapshot.published_at,
                      sources=marts.source_freshness(lease.cursor))

    return await answer(request, None, compute)


# -- artists ------------------------------------------------------------------------------------

@router.get("/artists", response_model=ArtistPage, tags=["artists"], summary="Search and list artists",
            description="Every artist of `marts.dim_artists` in artist_id order, optionally searched by name or "
                        "platform id and filtered by platform and status; paged with `cursor`.",
            responses=responses())
async def list_artists(request: Request, query: Annotated[ArtistsQuery, Query()]) -> Response:
    filters = _filters(query)
    after = decode(query.cursor, filters)

    def compute(lease: Lease) -> ArtistPage:
        rows = marts.artists(lease.cursor, query.q, query.platform, query.status, query.limit, after)
        data, next_cursor = _page(rows, query.limit, filters, lambda r: {"artist_id": r["artist_id"]})
        return ArtistPage(data=data, next_cursor=next_cursor)

    return await answer(request, query, compute)


@router.get("/artists/growth", response_model=GrowthPage, tags=["growth"], summary="Growth of every artist over one period",
            description="Every artist's window of one platform × metric × period ending `as_of` (default: the latest), "
                        "from `marts.fct_growth`, sorted by `order`, paged with `cursor`.",
            responses=responses())
async def growth_of_all(request: Request, query: Annotated[GrowthListQuery, Query()]) -> Response:
    return await _growth_listing(request, query)


@router.get("/artists/top", response_model=TopAnswer, tags=["growth"], summary="Top growers",
            description="The fastest growers of one platform × metric × period at its latest as_of, among artists with "
                        "at least `min_value` at the end of the window (default 1,000), by percentage or absolute change. "
                        "With the defaults it answers what `marts.top_growers` holds.",
            responses=responses())
async def top(request: Request, query: Annotated[TopQuery, Query()]) -> Response:
    def compute(lease: Lease) -> TopAnswer:
        as_of = marts.latest_as_of(lease, query.platform, query.metric, query.period)
        rows = [] if as_of is None else marts.top_growers(
            lease.cursor, query.platform, query.metric, query.period, as_of, query.by, query.min_value, query.limit,
            at_latest=True)
        return TopAnswer(platform=query.platform, metric=query.metric, period=query.period, as_of=as_of,
                         by=query.by, min_value=query.min_value, data=rows)

    return await answer(request, query, compute)


@router.get("/artists/filter", response_model=GrowthPage, tags=["growth"], summary="Artists below or above a threshold",
            description="Artists whose latest value (value_end of the latest window of this platform × metric × period) "
                        "is below `lt` and/or above `gt` — \"fewer than 50,000 followers\" is `lt=50000` — with their "
                        "growth over that period; paged with `cursor`.",
            responses=responses())
async def threshold_filter(request: Request, query: Annotated[FilterQuery, Query()]) -> Response:
    return await _growth_listing(request, query, lt=query.lt, gt=query.gt)


async def _growth_listing(request: Request, query: GrowthListQuery | FilterQuery, lt=None, gt=None) -> Response:
    filters = _filters(query)
    after = decode(query.cursor, filters)

    def compute(lease: Lease) -> GrowthPage:
        # A cursor pins the window its first page saw, so a publish mid-walk cannot mix two as_of dates.
        as_of = getattr(query, "as_of", None) or (marts.cursor_day(after, "as_of") if after else None)
        latest = marts.latest_as_of(lease, query.platform, query.metric, query.period)
        as_of = as_of or latest
        rows = [] if as_of is None else marts.growth_page(
            lease.cursor, query.platform, query.metric, query.period, as_of, query.order, query.limit, after, lt, gt,
            at_latest=as_of == latest)
        data, next_cursor = _page(rows, query.limit, filters, lambda r: {
            "key": r["sort_key"], "artist_id": r["artist_id"], "as_of": str(as_of)})
        return GrowthPage(platform=query.platform, metric=query.metric, period=query.period, as_of=as_of,
                          data=data, next_cursor=next_cursor)

    return await answer(request, query, compute)


@router.get("/artists/{artist_id}", response_model=ArtistDetail, tags=["artists"], summary="One artist",
            description="Every platform id, the statuses, first and last seen, and the latest value of every metric "
                        "with its date and source.",
            responses=responses(404))
async def one_artist(request: Request, artist_id: ArtistId) -> Response:
    def compute(lease: Lease) -> ArtistDetail:
        found = _known_artist(lease, artist_id)
        return ArtistDetail(**found, latest=marts.latest_points(lease.cursor, artist_id))

    return await answer(request, None, compute)


@router.get("/artists/{artist_id}/metrics", response_model=MetricsAnswer, tags=["metrics"], summary="An artist's metrics",
            description="Without `from`/`to`: the latest value of each platform × metric. With either: the weekly series "
                        "(observed_at, value, source, is_interpolated, quality) from `marts.fct_metrics`.",
            responses=responses(404))
async def artist_metrics(request: Request, artist_id: ArtistId, query: Annotated[MetricsQuery, Query()]) -> Response:
    def compute(lease: Lease) -> MetricsAnswer:
        _known_artist(lease, artist_id)
        if query.is_series:
            points = marts.series(lease.cursor, artist_id, query.platform, query.metric, query.from_, query.to)
        else:
            points = marts.latest_points(lease.cursor, artist_id, query.platform, query.metric)
        return MetricsAnswer(artist_id=artist_id, mode="series" if query.is_series else "latest", points=points)

    return await answer(request, query, compute)


@router.get("/artists/{artist_id}/growth", response_model=ArtistGrowthAnswer, tags=["growth"],
            summary="An artist's growth windows",
            description="The artist's windows from `marts.fct_growth`: by default the latest of each platform × metric × "
                        "period, or those ending `as_of`.",
            responses=responses(404))
async def artist_growth(request: Request, artist_id: ArtistId, query: Annotated[ArtistGrowthQuery, Query()]) -> Response:
    def compute(lease: Lease) -> ArtistGrowthAnswer:
        _known_artist(lease, artist_id)
        windows = marts.artist_growth(lease.cursor, artist_id, query.period, query.platform, query.metric, query.as_of)
        return ArtistGrowthAnswer(artist_id=artist_id, windows=windows)

    return await answer(request, query, compute)


# -- anomalies ----------------------------------------------------------------------------------

@router.get("/anomalies", response_model=AnomalyPage, tags=["anomalies"], summary="Suspicious weeks",
            description="Weeks `marts.fct_anomalies` judges anomalous (bought-follower spikes, purges, impossible jumps), "
                        "newest first, with every detector's score and the reason in words; paged with `cursor`.",
            responses=responses())
async def all_anomalies(request: Request, query: Annotated[AnomaliesQuery, Query()]) -> Response:
    filters = _filters(query)
    after = decode(query.cursor, filters)

    def compute(lease: Lease) -> AnomalyPage:
        rows = marts.anomalies(lease.cursor, has_kind=lease.has_column("fct_anomalies", "kind"), since=query.since,
                               platform=query.platform, metric=query.metric, include_review=query.include_review,
                               limit=query.limit, after=after)
        data, next_cursor = _page(rows, query.limit, filters, lambda r: {
            "week_at": str(r["week_at"]), "artist_id": r["artist_id"], "platform": r["platform"], "metric": r["metric"]})
        return AnomalyPage(data=[Anomaly(**r) for r in data], next_cursor=next_cursor)

    return await answer(request, query, compute)


@router.get("/artists/{artist_id}/anomalies", response_model=ArtistAnomalies, tags=["anomalies"],
            summary="An artist's suspicious weeks", description="As `/v1/anomalies`, for one artist.",
            responses=responses(404))
async def artist_anomalies(request: Request, artist_id: ArtistId, query: Annotated[AnomalyFilter, Query()]) -> Response:
    def compute(lease: Lease) -> ArtistAnomalies:
        _known_artist(lease, artist_id)
        rows = marts.anomalies(lease.cursor, has_kind=lease.has_column("fct_anomalies", "kind"), since=query.since,
                               platform=query.platform, metric=query.metric, include_review=query.include_review,
                               artist_id=artist_id)
        return ArtistAnomalies(artist_id=artist_id, data=rows)

    return await answer(request, query, compute)
