"""The FastAPI application: routes, error handlers, quota headers and offline docs.

``create_app()`` is the factory uvicorn runs (``make api``). The docs page's
JavaScript and CSS are served from the ``fastapi-offline`` package, not a CDN,
so ``/docs`` works without a network.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline

from api import errors, routes
from api.cache import AnswerCache
from api.keys import KeyStore
from api.ratelimit import RateLimiter
from api.security import QuotaHeaders
from api.snapshots import SnapshotReader
from urated import settings

DESCRIPTION = """
Read-only access to the uRated marts: artists, their weekly metrics, growth over
1d / 7d / 30d / 90d / 365d, top growers, threshold filters and suspicious weeks.
Every number comes from `marts.*` of the last published build.

* **Keys**: every `/v1` route but `/v1/health` needs `X-API-Key: <key>` (or
  `Authorization: Bearer <key>`); create one with `python -m api keys create --name NAME`.
* **Limits**: per key (default 600 requests/minute); every answer carries
  `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`; over the limit: 429 with `Retry-After`.
* **Caching**: every answer has an `ETag` that changes exactly when new data is published;
  send it as `If-None-Match` to get `304 Not Modified`.
* **Errors** are JSON (`status`, `error`, `message`, `fields`); a 422 names each refused
  parameter and lists the values it accepts.
"""

TAGS = [
    {"name": "artists", "description": "Who is tracked: ids, statuses, latest values (`marts.dim_artists`)."},
    {"name": "metrics", "description": "Weekly values (`marts.fct_metrics`)."},
    {"name": "growth", "description": "Growth windows, top growers and thresholds (`marts.fct_growth`)."},
    {"name": "anomalies", "description": "Suspicious weeks (`marts.fct_anomalies`)."},
    {"name": "health", "description": "Liveness and data freshness; no key needed."},
]


@dataclass
class Services:
    """What the routes share: the key store, the limiter, the snapshot reader, the answer cache and the query limit."""

    keys: KeyStore
    limiter: RateLimiter
    reader: SnapshotReader
    cache: AnswerCache
    query_seconds: float


def create_app(cache_entries: int | None = None, keys: KeyStore | None = None,
               anonymous_rate: str | None = None, query_seconds: float | None = None) -> FastAPIOffline:
    """A new API instance reading the published snapshot that the settings point at.

    The arguments override the settings (``URATED_API_CACHE_ENTRIES``, ``URATED_API_KEYS``,
    ``URATED_API_ANONYMOUS_RATE``, ``URATED_API_QUERY_SECONDS``), for tests and benchmarks.
    """
    services = Services(
        keys=keys or KeyStore(),
        limiter=RateLimiter(anonymous_rate or settings.api_anonymous_rate()),
        reader=SnapshotReader(),
        cache=AnswerCache(settings.api_cache_entries() if cache_entries is None else cache_entries),
        query_seconds=settings.api_query_seconds() if query_seconds is None else query_seconds,
    )

    @asynccontextmanager
    async def lifespan(app):
        yield
        services.reader.close()

    app = FastAPIOffline(title="uRated API", version="1.0.0", description=DESCRIPTION, openapi_tags=TAGS,
                         lifespan=lifespan, favicon_url=None)
    app.state.services = services
    app.add_middleware(QuotaHeaders)
    errors.install(app)
    app.include_router(routes.health_router)
    app.include_router(routes.router)

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
