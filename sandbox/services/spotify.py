"""Spotify Web API under `/spotify/v1`: artists, new releases, album tracks.

Bearer tokens come from the sandbox accounts service; an expired or revoked
token gets 401 "The access token expired" (the `expire_tokens` fault expires
the token of the next n requests, so clients must fetch a new one). Paging
follows Spotify: `limit`/`offset`, absolute `next`/`previous` URLs pointing
back at the sandbox, `next: null` on the last page.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from urllib.parse import urlencode

from sandbox.releases import NEW_RELEASE_DAYS, Album
from sandbox.services.http import Request, Response, json_response
from sandbox.state import SandboxState

MAX_IDS = 50
MAX_LIMIT = 50
MARKETS = ["AD", "AR", "AT", "AU", "BE", "BR", "CA", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IT", "JP",
           "MX", "NL", "NO", "SE", "US"]


def _error(status: int, message: str) -> Response:
    return json_response(status, {"error": {"status": status, "message": message}})


def rate_limited() -> Response:
    return _error(429, "API rate limit exceeded")


def server_error() -> Response:
    return _error(503, "Service unavailable")


def _image_urls(kind: str, spotify_id: str) -> list[dict]:
    digest = hashlib.sha1(f"{kind}:{spotify_id}".encode()).hexdigest()
    return [{"height": s, "url": f"https://i.scdn.co/image/{digest}{s}", "width": s} for s in (640, 300, 64)]


def _base(request: Request) -> str:
    return request.base_url + "/spotify/v1"


def simplified_artist(request: Request, state: SandboxState, spotify_id: str) -> dict:
    artist = state.world.artist_by_spotify_id(spotify_id)
    return {
        "external_urls": {"spotify": f"{request.base_url}/spotify-web/artist/{spotify_id}"},
        "href": f"{_base(request)}/artists/{spotify_id}",
        "id": spotify_id,
        "name": artist.artist_name if artist else "",
        "type": "artist",
        "uri": f"spotify:artist:{spotify_id}",
    }


def artist_object(request: Request, state: SandboxState, spotify_id: str) -> dict | None:
    if state.world.artist_by_spotify_id(spotify_id) is None:
        return None
    now = state.world.spotify_on(spotify_id, request.day)
    simple = simplified_artist(request, state, spotify_id)
    return {
        "external_urls": simple["external_urls"],
        "followers": {"href": None, "total": now["followers"]},
        "genres": now["genres"],
        "href": simple["href"],
        "id": spotify_id,
        "images": _image_urls("artist", spotify_id),
        "name": now["name"],
        "popularity": now["popularity"],
        "type": "artist",
        "uri": simple["uri"],
    }


def _album_object(request: Request, state: SandboxState, album: Album) -> dict:
    return {
        "album_type": album.album_type,
        "artists": [simplified_artist(request, state, a) for a in album.artist_ids],
        "available_markets": MARKETS,
        "external_urls": {"spotify": f"https://open.spotify.com/album/{album.album_id}"},
        "href": f"{_base(request)}/albums/{album.album_id}",
        "id": album.album_id,
        "images": _image_urls("album", album.album_id),
        "name": album.name,
        "release_date": album.release_date,
        "release_date_precision": album.release_date_precision,
        "total_tracks": album.total_tracks,
        "type": "album",
        "uri": f"spotify:album:{album.album_id}",
    }


def _paging(request: Request, path: str, items: list, extra: dict[str, str] | None = None) -> tuple[dict, list]:
    """Spotify's paging object around the requested slice of ``items``."""
    try:
        limit = int(request.query.get("limit") or 20)
        offset = int(request.query.get("offset") or 0)
    except ValueError:
        limit, offset = -1, -1
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError("Invalid limit")

    def url(off: int) -> str:
        return f"{_base(request)}{path}?" + urlencode({**(extra or {}), "offset": off, "limit": limit})

    page = items[offset: offset + limit]
    return {
        "href": url(offset),
        "limit": limit,
        "next": url(offset + limit) if offset + limit < len(items) else None,
        "offset": offset,
        "previous": url(max(offset - limit, 0)) if offset > 0 else None,
        "total": len(items),
    }, page


def _authorise(request: Request, state: SandboxState) -> Response | None:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return _error(401, "No token provided")
    token = auth[7:].strip()
    if state.consume("spotify", "expire_tokens"):
        state.expire_token(token)
    status = state.token_status(token)
    if status == "expired":
        return _error(401, "The access token expired")
    if status == "unknown":
        return _error(401, "Invalid access token")
    return None


def handle(request: Request, state: SandboxState) -> Response:
    denied = _authorise(request, state)
    if denied:
        return denied
    path = request.path.rstrip("/")
    try:
        if path == "/artists":
            ids = [i for i in request.query.get("ids", "").split(",") if i]
            if not ids:
                return _error(400, "invalid id")
            if len(ids) > MAX_IDS:
                return _error(400, "Too many ids requested")
            return json_response(200, {"artists": [artist_object(request, state, i) for i in ids]})
        if m := re.fullmatch(r"/artists/([^/]+)", path):
            artist = artist_object(request, state, m.group(1))
            return json_response(200, artist) if artist else _error(404, "non existing id")
        if path == "/browse/new-releases":
            return _new_releases(request, state)
        if m := re.fullmatch(r"/albums/([^/]+)/tracks", path):
            return _album_tracks(request, state, m.group(1))
    except ValueError as exc:
        return _error(400, str(exc))
    return _error(404, "Service not found")


def _new_releases(request: Request, state: SandboxState) -> Response:
    """Albums released in the four weeks up to the day asked about, newest first."""
    today = request.day
    since = today - timedelta(days=NEW_RELEASE_DAYS)
    recent = sorted((a for a in state.world.albums if since <= a.release_on <= today),
                    key=lambda a: (a.release_on, a.album_id), reverse=True)
    paging, page = _paging(request, "/browse/new-releases", recent)
    paging["items"] = [_album_object(request, state, a) for a in page]
    return json_response(200, {"albums": {"href": paging["href"], "items": paging.pop("items"), **paging}})


def _album_tracks(request: Request, state: SandboxState, album_id: str) -> Response:
    if state.world.album(album_id) is None:
        return _error(404, "non existing id")
    tracks = state.world.album_tracks(album_id)
    paging, page = _paging(request, f"/albums/{album_id}/tracks", tracks)
    items = [{
        "artists": [simplified_artist(request, state, a) for a in t.artist_ids],
        "available_markets": MARKETS,
        "disc_number": t.disc_number,
        "duration_ms": t.duration_ms,
        "explicit": t.explicit,
        "external_urls": {"spotify": f"https://open.spotify.com/track/{t.track_id}"},
        "href": f"{_base(request)}/tracks/{t.track_id}",
        "id": t.track_id,
        "name": t.name,
        "preview_url": None,
        "track_number": t.track_number,
        "type": "track",
        "uri": f"spotify:track:{t.track_id}",
    } for t in page]
    return json_response(200, {"href": paging["href"], "items": items, **{k: v for k, v in paging.items() if k != "href"}})
