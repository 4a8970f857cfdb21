"""Spotify Web API as a dlt source: ``raw_spotify.artists``, ``albums``, ``tracks`` (+ ``rejects``).

Artists come from the watchlist, 50 ids a call, stamped with the UTC day;
albums are the new releases (every page, following ``next``), and tracks are
fetched for every album seen, paginated the same way. Albums and tracks are
merged on their ids, so re-runs refresh rather than duplicate.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterator

import dlt

from ingestion.coerce import BadValue
from ingestion.http import ClientError, ServiceError
from ingestion.rejects import fetch_or_reject, reject
from ingestion.spotify.client import SpotifyClient
from ingestion.spotify.parsers import (
    Parsed,
    album_row,
    paging_items,
    parse_artists,
    parse_page,
    track_row,
)
from ingestion.spotify.settings import (
    ALBUM_TRACKS_PATH,
    ARTISTS_BATCH,
    ARTISTS_PATH,
    NEW_RELEASES_PATH,
    PAGE_LIMIT,
    SOURCE,
)
from ingestion.tables import typed
from ingestion.watchlist import ids_to_collect

log = logging.getLogger("urated.ingestion.spotify")

ARTIST_COLUMNS: dict[str, Any] = {
    "artist_id": {"data_type": "text", "nullable": False},
    "observed_on": {"data_type": "date", "nullable": False},
    "name": {"data_type": "text"},
    "followers": {"data_type": "bigint"},
    "popularity": {"data_type": "bigint"},
    "genres": {"data_type": "text"},
    "is_active": {"data_type": "bool", "nullable": False},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}
ALBUM_COLUMNS: dict[str, Any] = {
    "album_id": {"data_type": "text", "nullable": False},
    "name": {"data_type": "text"},
    "album_type": {"data_type": "text"},
    "release_date": {"data_type": "text"},
    "release_date_precision": {"data_type": "text"},
    "total_tracks": {"data_type": "bigint"},
    "primary_artist_id": {"data_type": "text"},
    "artist_ids": {"data_type": "text"},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}
TRACK_COLUMNS: dict[str, Any] = {
    "track_id": {"data_type": "text", "nullable": False},
    "album_id": {"data_type": "text", "nullable": False},
    "name": {"data_type": "text"},
    "track_number": {"data_type": "bigint"},
    "disc_number": {"data_type": "bigint"},
    "duration_ms": {"data_type": "bigint"},
    "explicit": {"data_type": "bool"},
    "artist_ids": {"data_type": "text"},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}


def _emit(parsed: Parsed, table: str, columns: dict[str, Any], now) -> Iterator[Any]:
    for payload, reason in parsed.rejects:
        yield reject(SOURCE, payload, reason, now())
    if parsed.rows:
        yield typed(parsed.rows, table, columns)


def artist_rows(client: SpotifyClient, artist_ids: list[str]) -> Iterator[Any]:
    now = client.clock.now
    for start in range(0, len(artist_ids), ARTISTS_BATCH):
        batch = artist_ids[start:start + ARTISTS_BATCH]
        try:
            payload = yield from fetch_or_reject(
                lambda: client.get_json(ARTISTS_PATH, params={"ids": ",".join(batch)}), SOURCE, "artists", now)
        except ClientError as exc:
            if exc.is_auth:
                raise
            yield reject(SOURCE, exc.body, f"artists batch refused (HTTP {exc.status})", now())
            continue
        except ServiceError as exc:
            log.error("spotify: %d artists not collected this run: %s", len(batch), exc)
            continue
        if payload is not None:
            yield from _emit(parse_artists(payload, batch, now().date(), now()), "artists", ARTIST_COLUMNS, now)


def follow_pages(client: SpotifyClient, path: str, container: str | None,
                 make_rows: Callable[[list[Any]], Parsed], table: str, columns: dict[str, Any],
                 what: str) -> Iterator[Any]:
    """Rows of every page of a paging endpoint, following ``next`` until it is null."""
    now = client.clock.now
    url: str | None = path
    params: dict[str, Any] | None = {"limit": PAGE_LIMIT}
    while url:
        page_url, page_params = url, params
        try:
            payload = yield from fetch_or_reject(
                lambda: client.get_json(page_url, params=page_params), SOURCE, what, now)
        except ClientError as exc:
            if exc.is_auth:
                raise
            yield reject(SOURCE, exc.body, f"{what} refused (HTTP {exc.status})", now())
            return
        except ServiceError as exc:
            log.error("spotify: stopped paging %s: %s", what, exc)
            return
        if payload is None:
            log.error("spotify: stopped paging %s after unreadable pages", what)
            return
        try:
            items, url = paging_items(payload, container)
        except BadValue as exc:
            yield reject(SOURCE, payload, f"{what}: {exc}", now())
            return
        yield from _emit(make_rows(items), table, columns, now)
        params = None  # `next` carries offset and limit itself


@dlt.source(name="spotify", max_table_nesting=0)
def spotify_source(artist_ids: list[str] | None = None, client: SpotifyClient | None = None,
                   include_releases: bool = True) -> Any:
    """Watchlist artists (or ``artist_ids``), new releases and their tracks."""
    shared: dict[str, SpotifyClient] = {}

    def api() -> SpotifyClient:
        # Built on first use, not at import: Dagster loads the source without credentials.
        if "client" not in shared:
            shared["client"] = client or SpotifyClient()
        return shared["client"]

    @dlt.resource(name="artists", primary_key=["artist_id", "observed_on"], write_disposition="merge")
    def artists() -> Iterator[Any]:
        ids = ids_to_collect("spotify_artist_id", artist_ids)
        yield from artist_rows(api(), ids)

    @dlt.resource(name="albums", primary_key="album_id", write_disposition="merge")
    def albums() -> Iterator[Any]:
        now = api().clock.now
        yield from follow_pages(api(), NEW_RELEASES_PATH, "albums",
                                lambda items: parse_page(items, album_row, now()),
                                "albums", ALBUM_COLUMNS, "new releases")

    @dlt.transformer(name="tracks", data_from=albums, primary_key="track_id", write_disposition="merge")
    def tracks(album_rows: list[dict[str, Any]]) -> Iterator[Any]:
        now = api().clock.now
        for album in album_rows if isinstance(album_rows, list) else [album_rows]:
            album_id = album.get("album_id") if isinstance(album, dict) else None
            if not album_id:
                continue  # a reject row passing through, not an album
            yield from follow_pages(api(), ALBUM_TRACKS_PATH.format(album_id=album_id), None,
                                    lambda items, a=album_id: parse_page(items, track_row, a, now()),
                                    "tracks", TRACK_COLUMNS, f"tracks of album {album_id}")

    return (artists, albums, tracks) if include_releases else (artists,)
