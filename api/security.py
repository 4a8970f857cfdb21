"""Who is asking: the key dependency every ``/v1`` route but health uses, and the rate limit it applies.

FastAPI's security classes read the key (``X-API-Key`` or ``Authorization: Bearer``)
and put both schemes in the OpenAPI document; the key store decides. The quota of the
request is kept on ``request.state`` so :class:`QuotaHeaders` adds the X-RateLimit-*
headers to whatever the answer turns out to be (200, 304, 404, 422 ...).
"""

from __future__ import annotations

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.keys import ApiKey
from api.ratelimit import Quota

API_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKeyHeader",
                              description="Your key, as printed once by `python -m api keys create`.")
BEARER = HTTPBearer(auto_error=False, scheme_name="BearerKey",
                    description="The same key as `Authorization: Bearer <key>`.")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="urated", ApiKey header="X-API-Key"'}
PROBLEMS = {
    "missing": "an API key is required: send it as `X-API-Key: <key>` or `Authorization: Bearer <key>`",
    "malformed": "this is not a uRated API key (they look like urk_<id>_<secret>)",
    "unknown": "unknown API key",
    "revoked": "this API key has been revoked",
}


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _charge(request: Request, quota: Quota) -> None:
    request.state.quota = quota
    if not quota.allowed:
        raise ApiError(429, f"rate limit of {quota.limit} requests per window reached; retry after "
                            f"{quota.headers()['Retry-After']} s", headers=quota.headers())


async def charge_anonymous(request: Request) -> None:
    """Count a request without a valid key against its client address's limit."""
    services = request.app.state.services
    _charge(request, await services.limiter.hit_anonymous(client_address(request)))


async def require_key(request: Request, header_key: str | None = Security(API_KEY_HEADER),
                      bearer: HTTPAuthorizationCredentials | None = Security(BEARER)) -> ApiKey:
    """The caller's key, counted against its rate; 401 without a valid one, 429 over the rate."""
    services = request.app.state.services
    verdict = services.keys.verify(header_key or (bearer.credentials if bearer else None))
    if verdict.key is None:
        await charge_anonymous(request)
        raise ApiError(401, PROBLEMS[verdict.problem], headers=CHALLENGE)
    request.state.key_name = verdict.key.name  # for logs: the name, never the key
    _charge(request, await services.limiter.hit(verdict.key.key_id, verdict.key.rate))
    return verdict.key


class QuotaHeaders:
    """ASGI middleware: the request's X-RateLimit-* headers on every answer it gets."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = scope.setdefault("state", {})  # the dict request.state writes into, shared with the route

        async def send_with_quota(message):
            if message["type"] == "http.response.start":
                quota = state.get("quota")
                if quota is not None:
                    present = {name.lower() for name, _ in message.get("headers", [])}
                    extra = [(k.lower().encode(), v.encode()) for k, v in quota.headers().items()
                             if k.lower().encode() not in present]
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_quota)
