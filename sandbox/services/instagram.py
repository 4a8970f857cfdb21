"""Instagram Graph API business discovery, as `GET /instagram/v21.0/{ig_user_id}`.

`fields=business_discovery.username(NAME){followers_count,media_count,username}`
returns the named business account's counters; an unknown username gets the
real OAuthException (code 110, subcode 2207013). Any non-empty access token of
8+ characters is accepted.
"""

from __future__ import annotations

import hashlib
import re

from sandbox.services.http import Request, Response, json_response
from sandbox.state import SandboxState

_DISCOVERY = re.compile(r"business_discovery\.username\(([^)]*)\)(?:\{([^}]*)\})?")
DEFAULT_FIELDS = ("followers_count", "media_count", "username", "id")


def _fbtrace(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:11].upper()


def _oauth_error(status: int, message: str, code: int, subcode: int | None = None, **extra) -> Response:
    error = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    error["fbtrace_id"] = _fbtrace(message, str(code))
    return json_response(status, {"error": error})


def rate_limited() -> Response:
    return _oauth_error(429, "(#4) Application request limit reached", 4, is_transient=True)


def server_error() -> Response:
    return _oauth_error(500, "An unexpected error has occurred. Please retry your request later.", 2,
                        is_transient=True)


def ig_id(username: str) -> str:
    """A stable numeric Instagram id, shaped like real ones (17841...)."""
    return str(17841400000000000 + int(hashlib.md5(username.encode()).hexdigest(), 16) % 10**11)


def handle(request: Request, state: SandboxState) -> Response:
    m = re.fullmatch(r"/(\d+)", request.path.rstrip("/"))
    if not m or request.method != "GET":
        return _oauth_error(400, "Unsupported get request.", 100, 33)
    token = request.query.get("access_token", "")
    if len(token) < 8:
        return _oauth_error(400, "Invalid OAuth access token - Cannot parse access token", 190)
    found = _DISCOVERY.search(request.query.get("fields", ""))
    if not found:
        return json_response(200, {"id": m.group(1)})
    username = found.group(1).strip().lstrip("@").lower()
    artist = state.world.artist_by_instagram(username) if username else None
    if artist is None:
        return _oauth_error(400, "Invalid user id", 110, 2207013)
    now = state.world.instagram_on(username, request.day)
    values = {"followers_count": now["followers"], "media_count": now["media"], "username": username,
              "id": ig_id(username)}
    wanted = [f.strip() for f in (found.group(2) or "").split(",") if f.strip()] or list(DEFAULT_FIELDS)
    discovery = {f: values[f] for f in wanted if f in values}
    discovery["id"] = values["id"]  # Graph always returns the node id
    return json_response(200, {"business_discovery": discovery, "id": m.group(1)})
