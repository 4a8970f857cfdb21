"""Pure parsing of Spotify Web API objects into ``raw_spotify`` rows.

Accepts the shapes recorded in realdata: artists without ``followers`` (the
2014 API), albums without ``artists`` (old new-releases pages), ``null``
entries for unknown ids in ``/artists?ids=``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ingestion.coerce import BadValue, to_bool, to_count, to_text


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[tuple[Any, str]] = field(default_factory=list)


def _ids(objects: Any) -> list[str]:
    if objects is None:
        return []
    if not isinstance(objects, list):
        raise BadValue("artists is not a list")
    return [o["id"] for o in objects if isinstance(o, dict) and isinstance(o.get("id"), str)]


def _required_id(obj: dict[str, Any], what: str) -> str:
    value = obj.get("id")
    if not isinstance(value, str) or not value:
        raise BadValue(f"{what} id is missing ({value!r})")
    return value


def artist_row(obj: dict[str, Any], observed_on: date, collected_at: datetime) -> dict[str, Any]:
    followers = obj.get("followers")
    if followers is not None and not isinstance(followers, dict):
        raise BadValue(f"followers is not an object ({followers!r})")
    genres = obj.get("genres") or []
    if not isinstance(genres, list) or not all(isinstance(g, str) for g in genres):
        raise BadValue(f"genres is not a list of text ({genres!r})")
    return {
        "artist_id": _required_id(obj, "artist"),
        "observed_on": observed_on,
        "name": to_text(obj.get("name"), "name"),
        "followers": to_count((followers or {}).get("total"), "followers.total"),
        "popularity": to_count(obj.get("popularity"), "popularity"),
        "genres": json.dumps(genres),
        "is_active": True,
        "collected_at": collected_at,
    }


def inactive_artist(artist_id: str, observed_on: date, collected_at: datetime) -> dict[str, Any]:
    """An id Spotify answered with ``null``: removed or never existed."""
    return {"artist_id": artist_id, "observed_on": observed_on, "name": None, "followers": None,
            "popularity": None, "genres": None, "is_active": False, "collected_at": collected_at}


def parse_artists(payload: Any, requested_ids: list[str], observed_on: date, collected_at: datetime) -> Parsed:
    """Rows for ``/artists?ids=``: one per requested id, in order, ``null`` -> inactive."""
    parsed = Parsed()
    artists = payload.get("artists") if isinstance(payload, dict) else None
    if not isinstance(artists, list) or len(artists) != len(requested_ids):
        parsed.rejects.append((payload, "response is not an artists list matching the requested ids"))
        return parsed
    for requested, obj in zip(requested_ids, artists):
        if obj is None:
            parsed.rows.append(inactive_artist(requested, observed_on, collected_at))
            continue
        try:
            parsed.rows.append(artist_row(obj, observed_on, collected_at))
        except (BadValue, AttributeError) as exc:
            parsed.rejects.append((obj, f"bad artist object: {exc}"))
    return parsed


def album_row(obj: dict[str, Any], collected_at: datetime) -> dict[str, Any]:
    artist_ids = _ids(obj.get("artists"))
    return {
        "album_id": _required_id(obj, "album"),
        "name": to_text(obj.get("name"), "name"),
        "album_type": to_text(obj.get("album_type"), "album_type"),
        "release_date": to_text(obj.get("release_date"), "release_date"),
        "release_date_precision": to_text(obj.get("release_date_precision"), "release_date_precision"),
        "total_tracks": to_count(obj.get("total_tracks"), "total_tracks"),
        "primary_artist_id": artist_ids[0] if artist_ids else None,
        "artist_ids": json.dumps(artist_ids),
        "collected_at": collected_at,
    }


def track_row(obj: dict[str, Any], album_id: str, collected_at: datetime) -> dict[str, Any]:
    return {
        "track_id": _required_id(obj, "track"),
        "album_id": album_id,
        "name": to_text(obj.get("name"), "name"),
        "track_number": to_count(obj.get("track_number"), "track_number"),
        "disc_number": to_count(obj.get("disc_number"), "disc_number"),
        "duration_ms": to_count(obj.get("duration_ms"), "duration_ms"),
        "explicit": to_bool(obj.get("explicit"), "explicit"),
        "artist_ids": json.dumps(_ids(obj.get("artists"))),
        "collected_at": collected_at,
    }


def paging_items(payload: Any, container: str | None = None) -> tuple[list[Any], str | None]:
    """(items, next URL) of a paging object, optionally wrapped (``{"albums": {...}}``)."""
    page = payload.get(container) if container and isinstance(payload, dict) else payload
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise BadValue("response is not a paging object with items")
    next_url = page.get("next")
    if next_url is not None and not isinstance(next_url, str):
        raise BadValue(f"next is not a URL ({next_url!r})")
    return page["items"], next_url


def parse_page(items: list[Any], make_row, *args: Any) -> Parsed:
    """Rows from a page's items; an item that does not parse becomes a reject."""
    parsed = Parsed()
    for obj in items:
        try:
            if not isinstance(obj, dict):
                raise BadValue("item is not an object")
            parsed.rows.append(make_row(obj, *args))
        except BadValue as exc:
            parsed.rejects.append((obj, f"bad item: {exc}"))
    return parsed
