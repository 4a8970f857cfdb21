"""Spotify: parsers on real recorded objects, then the source against the sandbox."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timezone

from ingestion.http import FakeClock, ServiceClient
from ingestion.spotify import spotify_source
from ingestion.spotify.client import SpotifyClient
from ingestion.spotify.parsers import album_row, paging_items, parse_artists, parse_page, track_row
from ingestion.watchlist import watchlist_values

from ..fixtures import realdata
from .ingest_support import FAKE_SECRETS, assert_no_secret_anywhere, query, sandbox_stats, set_faults

DAY = date(2026, 1, 7)
AT = datetime(2026, 1, 7, 12, tzinfo=timezone.utc)


def load(name: str):
    return json.loads(realdata(f"spotify/{name}").read_text())


def test_several_artists_give_followers_popularity_and_genres_as_json_text():
    payload = load("swjava_several_artists.json")
    ids = [a["id"] for a in payload["artists"]]
    row = parse_artists(payload, ids, DAY, AT).rows[0]
    assert (row["artist_id"], row["followers"], row["popularity"]) == ("0oSGxfWSnnOXhD2fKuz2Gy", 633494, 77)
    assert json.loads(row["genres"]) == ["art rock", "glam rock", "permanent wave"]


def test_an_artist_without_followers_is_kept_with_null_followers():
    artist = load("jsapi_artist.json")
    row = parse_artists({"artists": [artist]}, [artist["id"]], DAY, AT).rows[0]
    assert row["followers"] is None and row["popularity"] == 66 and row["name"] == "ABBA"


def test_null_entries_for_unknown_ids_become_inactive_rows():
    artist = load("jsapi_artist.json")
    parsed = parse_artists({"artists": [artist, None]}, [artist["id"], "unknownid000"], DAY, AT)
    assert [(r["artist_id"], r["is_active"]) for r in parsed.rows] == [(artist["id"], True), ("unknownid000", False)]


def test_new_releases_page_gives_albums_and_the_next_link():
    items, next_url = paging_items(load("swjava_browse_new_releases_SE.json"), "albums")
    rows = parse_page(items, album_row, AT).rows
    assert next_url.endswith("offset=20&limit=20")
    assert rows[0]["album_id"] == "5ZX4m5aVSmWQ5iHAPQpT71"
    assert rows[0]["primary_artist_id"] == "2RdwBSPQiwcmiDo9kixcl8"


def test_old_album_items_without_artists_still_parse():
    items, _ = paging_items(load("jsapi_new_releases.json"), "albums")
    rows = parse_page(items, album_row, AT).rows
    assert len(rows) == 20 and rows[0]["artist_ids"] == "[]" and rows[0]["primary_artist_id"] is None


def test_last_page_of_album_tracks_has_no_next():
    items, next_url = paging_items(load("jsapi_album_tracks.json"))
    rows = parse_page(items, track_row, "album1", AT).rows
    assert next_url is None and len(rows) == 13
    assert (rows[0]["track_id"], rows[0]["duration_ms"], rows[0]["track_number"]) == ("3f9zqUnrnIq0LANhmnaF0V", 305560, 1)


def spotify_client(clock: FakeClock) -> SpotifyClient:
    return SpotifyClient(ServiceClient("spotify", clock=clock), ServiceClient("spotify_accounts", clock=clock),
                         clock=clock)


def counts(table: str, key: str) -> tuple[int, int]:
    return query(f"SELECT count(*), count(DISTINCT ({key})) FROM raw_spotify.{table}")[0]


def test_source_loads_every_artist_and_every_page_of_releases_and_tracks(sb, run, clock):
    run("spotify", spotify_source(client=spotify_client(clock)))
    ids = watchlist_values("spotify_artist_id")
    assert counts("artists", "artist_id, observed_on") == (len(ids), len(ids))
    albums = sb.world.albums
    today = sb.world.today
    recent = {a.album_id for a in albums if 0 <= (today - a.release_on).days <= 28}
    loaded = {r[0] for r in query("SELECT album_id FROM raw_spotify.albums")}
    assert loaded == recent and recent
    expected_tracks = sum(a.total_tracks for a in albums if a.album_id in loaded)
    assert counts("tracks", "track_id") == (expected_tracks, expected_tracks)


def test_expired_token_is_refreshed_once_and_nothing_is_lost(sb, run, clock):
    set_faults(sb, "spotify", expire_tokens=1)
    client = spotify_client(clock)
    run("spotify", spotify_source(client=client, include_releases=False))
    ids = watchlist_values("spotify_artist_id")
    assert counts("artists", "artist_id, observed_on") == (len(ids), len(ids))
    assert client.tokens_fetched == 2


def test_token_is_refreshed_before_it_expires(sb, clock):
    client = spotify_client(clock)
    first = client.token()
    clock.advance(3600 - 30)  # inside the refresh margin
    assert client.token() != first and client.tokens_fetched == 2


def test_429_with_retry_after_and_5xx_lose_nothing(sb, run, clock):
    set_faults(sb, "spotify", status_429=2, status_5xx=2)
    run("spotify", spotify_source(client=spotify_client(clock), include_releases=False))
    ids = watchlist_values("spotify_artist_id")
    assert counts("artists", "artist_id, observed_on") == (len(ids), len(ids))
    assert 1.0 in clock.sleeps  # the sandbox's Retry-After: 1 was honoured


def test_malformed_page_is_rejected_and_retried(sb, run, clock):
    set_faults(sb, "spotify", malformed=1)
    run("spotify", spotify_source(client=spotify_client(clock), include_releases=False))
    ids = watchlist_values("spotify_artist_id")
    assert counts("artists", "artist_id, observed_on") == (len(ids), len(ids))
    assert query("SELECT count(*) FROM raw_spotify.rejects WHERE reason LIKE '%not JSON%'") == [(1,)]


def test_rerun_adds_no_rows(sb, run, clock):
    run("spotify", spotify_source(client=spotify_client(clock)))
    before = [query(f"SELECT count(*) FROM raw_spotify.{t}") for t in ("artists", "albums", "tracks")]
    run("spotify", spotify_source(client=spotify_client(clock)))
    assert [query(f"SELECT count(*) FROM raw_spotify.{t}") for t in ("artists", "albums", "tracks")] == before


def test_client_secret_never_reaches_logs_tables_or_state(sb, run, clock, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    set_faults(sb, "spotify", expire_tokens=1, malformed=1)
    run("spotify", spotify_source(client=spotify_client(clock), include_releases=False))
    for var in ("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET"):
        assert_no_secret_anywhere(FAKE_SECRETS[var], caplog.text, "raw_spotify", tmp_path / "dlt")
    assert sandbox_stats(sb)["requests"]["spotify_accounts"] == 2
