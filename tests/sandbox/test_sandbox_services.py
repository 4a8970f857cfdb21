"""Each imitated service answers in the real wire format, and faults behave as the contract says."""

from __future__ import annotations

import json
import time
from datetime import date

import httpx
import pytest

from sandbox import eras
from sandbox.server import SANDBOX_CREDENTIAL, SANDBOX_INSTAGRAM_USER_ID
from urated import settings

KEY = SANDBOX_CREDENTIAL


def _type_shape(value):
    """Keys and JSON types, recursively (list shape from its first element)."""
    if isinstance(value, dict):
        return {k: _type_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_type_shape(value[0])] if value else []
    return type(value).__name__


def _channels(client, ids, key=KEY, part="snippet,statistics,status"):
    return client.get("/youtube/v3/channels", params={"part": part, "id": ",".join(ids), "key": key})


def _active_ids(world, n):
    return [c.channel_id for c in world.channels if c.status == "active" and not c.hidden_subscriber_count][:n]


# ---- YouTube ----

def test_youtube_channels_have_the_real_shape_with_numbers_as_strings(client, world, realdata):
    """The ingestion client must parse real responses, so the sandbox must send them."""
    real = realdata("youtube/pyyoutube_channel_info_single.json")
    body = _channels(client, _active_ids(world, 2)).json()
    assert set(body) == set(real)
    item, real_item = body["items"][0], real["items"][0]
    assert set(real_item["snippet"]) <= set(item["snippet"])
    assert _type_shape(item["snippet"]["thumbnails"]) == _type_shape(real_item["snippet"]["thumbnails"])
    real_stats = {k: v for k, v in real_item["statistics"].items() if k != "commentCount"}
    assert _type_shape(item["statistics"]) == _type_shape(real_stats)
    status = realdata("youtube/pyyoutube_channel_resource_with_status_topics.json")["status"]
    assert set(status) <= set(item["status"])


def test_youtube_statistics_are_todays_truth_with_subscribers_truncated(client, world):
    """Collected values must be checkable against the world's truth."""
    channel_id = _active_ids(world, 1)[0]
    stats = _channels(client, [channel_id]).json()["items"][0]["statistics"]
    now = world.youtube_current(channel_id)
    assert stats["subscriberCount"] == str(int(eras.round_3sf(now["subscribers"])))
    assert stats["viewCount"] == str(now["views"])


def test_hidden_subscriber_counts_are_absent(client, world):
    """Real channels hide counts; the warehouse must store null, not zero."""
    hidden = next(c for c in world.channels if c.hidden_subscriber_count)
    stats = _channels(client, [hidden.channel_id]).json()["items"][0]["statistics"]
    assert stats["hiddenSubscriberCount"] is True and "subscriberCount" not in stats


def test_unknown_and_terminated_channels_are_simply_missing(client, world):
    """The API signals dead channels only by omission; clients must mark them inactive."""
    terminated = next(c for c in world.channels if c.status == "terminated")
    known = _active_ids(world, 1)[0]
    body = _channels(client, [known, terminated.channel_id, "UC" + "x" * 22]).json()
    assert [i["id"] for i in body["items"]] == [known]
    assert body["pageInfo"]["totalResults"] == 1


def test_published_at_sometimes_has_fractional_seconds(client, world):
    """Timestamp parsing must cope with both forms YouTube sends."""
    items = _channels(client, _active_ids(world, 50), part="snippet").json()["items"]
    stamps = [i["snippet"]["publishedAt"] for i in items]
    assert any("." in s for s in stamps) and any("." not in s for s in stamps)
    assert all(s.endswith("Z") for s in stamps)


def test_more_than_50_ids_is_a_400_with_a_google_error_body(client, world):
    """Clients must batch by 50; a bigger batch must fail loudly."""
    response = _channels(client, [c.channel_id for c in world.channels[:51]])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and error["errors"][0]["location"] == "id"


@pytest.mark.parametrize("key", ["", "short", "has spaces in it"])
def test_a_missing_or_invalid_key_gets_the_real_keyinvalid_body(client, world, realdata, key):
    """A bad key must look exactly like the real refusal."""
    response = _channels(client, _active_ids(world, 1), key=key)
    assert response.status_code == 400
    assert response.json() == realdata("youtube/pyyoutube_error_400_keyInvalid.json")


def test_each_answered_call_costs_one_unit_and_an_exhausted_quota_is_a_403(client, world, realdata):
    """The client's circuit breaker is tested against real quota behaviour."""
    client.post("/_sandbox/faults", json={"service": "youtube", "quota_limit": 3})
    ids = _active_ids(world, 5)
    assert [_channels(client, ids).status_code for _ in range(3)] == [200, 200, 200]
    refused = _channels(client, ids)
    assert refused.status_code == 403
    assert refused.json() == realdata("youtube/yt_gem_error_403_quotaExceeded_legacy_format.json")
    assert _channels(client, ids, key="another-valid-key").status_code == 200  # quota is per key
    stats = client.get("/_sandbox/stats").json()
    assert stats["youtube_quota_units_by_key"] == {KEY: 3, "another-valid-key": 1}
    assert stats["requests"]["youtube"] == 5


# ---- faults ----

def test_429_faults_are_consumed_one_request_at_a_time_with_retry_after(client, world):
    """Retry logic is tested with bursts of a known length."""
    client.post("/_sandbox/faults", json={"service": "youtube", "status_429": 2})
    responses = [_channels(client, _active_ids(world, 1)) for _ in range(3)]
    assert [r.status_code for r in responses] == [429, 429, 200]
    assert responses[0].headers["Retry-After"] == "1"
    assert client.get("/_sandbox/stats").json()["youtube_quota_units"] == 1  # refused calls are free


def test_faults_only_touch_their_own_service(client, world):
    """A fault aimed at one service must not disturb tests of another."""
    client.post("/_sandbox/faults", json={"service": "viewstats", "status_5xx": 1})
    assert _channels(client, _active_ids(world, 1)).status_code == 200
    assert client.get(f"/viewstats/channels/{_active_ids(world, 1)[0]}/weekly").status_code >= 500


def test_malformed_fault_sends_a_200_whose_json_does_not_parse(client, world):
    """Clients must reject broken bodies even when the status says fine."""
    client.post("/_sandbox/faults", json={"service": "viewstats", "malformed": 1})
    response = client.get(f"/viewstats/channels/{_active_ids(world, 1)[0]}/weekly")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_slow_ms_delays_every_request_of_the_service(client, world):
    """Timeouts are tested with a known delay."""
    client.post("/_sandbox/faults", json={"service": "viewstats", "slow_ms": 300})
    started = time.perf_counter()
    client.get(f"/viewstats/channels/{_active_ids(world, 1)[0]}/weekly")
    assert time.perf_counter() - started >= 0.3


def test_unknown_services_and_knobs_are_rejected(client):
    """A typo in a test's fault must fail, not silently do nothing."""
    assert client.post("/_sandbox/faults", json={"service": "myspace", "status_429": 1}).status_code == 400
    assert client.post("/_sandbox/faults", json={"service": "youtube", "teapot": 1}).status_code == 400


def test_env_points_every_service_at_the_sandbox(sandbox):
    """The pipeline reaches the sandbox only through these variables."""
    env = sandbox.env()
    urls = {s.url_var for s in settings.SERVICES.values()}
    assert urls <= set(env)
    assert env["URATED_YOUTUBE_API_URL"] == sandbox.base_url + "/youtube/v3"
    assert env["URATED_WAYBACK_URL"] == sandbox.base_url + "/wayback"
    assert all(env[v].startswith("http://127.0.0.1:") for v in urls)


def test_env_sets_credentials_and_pacing_explicitly_by_name(sandbox):
    """Nothing in the pipeline switches to placeholders because a URL is loopback: the sandbox says so."""
    env = sandbox.env()
    credentials = {v for s in settings.SERVICES.values() for v in s.credential_vars}
    assert {env[v] for v in credentials} == {KEY}
    assert env["INSTAGRAM_USER_ID"] == SANDBOX_INSTAGRAM_USER_ID
    assert env["URATED_PACING"] == "off"
    assert set(env) == {s.url_var for s in settings.SERVICES.values()} | credentials | {
        "INSTAGRAM_USER_ID", "URATED_PACING"}


# ---- Spotify ----

def _token(client, user=KEY, password=KEY):
    response = client.post("/spotify-accounts/api/token", data={"grant_type": "client_credentials"},
                           auth=(user, password))
    return response


def _bearer(client):
    return {"Authorization": "Bearer " + _token(client).json()["access_token"]}


def test_client_credentials_token_has_the_real_shape(client, realdata):
    """The Spotify client's auth must work unchanged against the real host."""
    body = _token(client).json()
    assert _type_shape(body) == _type_shape(realdata("spotify/swjava_token_client_credentials.json"))
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600


def test_bad_client_credentials_are_invalid_client(client):
    """Wrong credentials must fail like Spotify's, not succeed quietly."""
    response = _token(client, "x", "y")
    assert response.status_code == 400 and response.json()["error"] == "invalid_client"


def test_artists_have_the_real_shape_and_unknown_ids_are_null(client, world, realdata):
    """Unknown artists come back as null entries, which clients must skip."""
    ids = [a.spotify_artist_id for a in world.artists if a.spotify_artist_id][:2]
    body = client.get("/spotify/v1/artists", params={"ids": ",".join(ids + ["0" * 22])},
                      headers=_bearer(client)).json()
    real = realdata("spotify/swjava_artist.json")
    assert set(body["artists"][0]) == set(real)
    assert body["artists"][0]["followers"]["total"] == world.spotify_current(ids[0])["followers"]
    assert body["artists"][2] is None
    single = client.get(f"/spotify/v1/artists/{ids[1]}", headers=_bearer(client)).json()
    assert single["name"] == world.artist_by_spotify_id(ids[1]).artist_name
    assert 0 <= single["popularity"] <= 100


def test_more_than_50_artist_ids_is_a_400(client, world):
    """Clients must batch by 50."""
    ids = [a.spotify_artist_id for a in world.artists if a.spotify_artist_id][:51]
    response = client.get("/spotify/v1/artists", params={"ids": ",".join(ids)}, headers=_bearer(client))
    assert response.status_code == 400 and response.json()["error"]["status"] == 400


def test_new_releases_paginate_through_next_until_null(client, world, realdata):
    """Pagination must be followed through absolute `next` links to the end."""
    headers = _bearer(client)
    url, seen = f"{client.base_url}/spotify/v1/browse/new-releases?limit=7", []
    while url:
        page = client.get(url, headers=headers).json()["albums"]
        seen += page["items"]
        url = page["next"]
    real = realdata("spotify/swjava_browse_new_releases_SE.json")["albums"]
    assert set(real) <= set(page)
    assert set(real["items"][0]) <= set(seen[0])
    expected = {a.album_id for a in world.albums if 0 <= (world.today - a.release_on).days <= 28}
    assert {a["id"] for a in seen} == expected and len(seen) == page["total"]
    assert all(a["artists"] and a["release_date"] for a in seen)


def test_album_tracks_paginate_and_have_the_real_shape(client, world, realdata):
    """Track pages must parse like the real ones and continue via `next`."""
    album = next(a for a in world.albums if a.total_tracks >= 8)
    headers = _bearer(client)
    first = client.get(f"/spotify/v1/albums/{album.album_id}/tracks", params={"limit": 5}, headers=headers).json()
    rest = client.get(first["next"], headers=headers).json()
    real = realdata("spotify/swjava_album_tracks.json")
    assert set(first) == set(real)
    assert set(first["items"][0]) == set(real["items"][0])
    assert [t["track_number"] for t in first["items"] + rest["items"]][:8] == list(range(1, 9))
    assert first["total"] == album.total_tracks


def test_expire_tokens_fault_forces_a_refresh(client, world):
    """The client must fetch a new token after a 401, not loop on the old one."""
    spotify_id = next(a.spotify_artist_id for a in world.artists if a.spotify_artist_id)
    headers = _bearer(client)
    client.post("/_sandbox/faults", json={"service": "spotify", "expire_tokens": 1})
    expired = client.get(f"/spotify/v1/artists/{spotify_id}", headers=headers)
    assert expired.status_code == 401
    assert expired.json() == {"error": {"status": 401, "message": "The access token expired"}}
    assert client.get(f"/spotify/v1/artists/{spotify_id}", headers=headers).status_code == 401  # stays expired
    assert client.get(f"/spotify/v1/artists/{spotify_id}", headers=_bearer(client)).status_code == 200


def test_spotify_429_carries_retry_after(client, world):
    """Spotify clients must honour Retry-After."""
    client.post("/_sandbox/faults", json={"service": "spotify", "status_429": 1})
    response = client.get("/spotify/v1/browse/new-releases", headers=_bearer(client))
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"


def test_spotify_artist_page_states_the_monthly_listeners(client, world):
    """The spider reads monthly listeners from this page."""
    pytest.importorskip("sandbox.pages.spotify", reason="sandbox/pages (other helper) not present yet")
    artist = next(a for a in world.artists if a.spotify_artist_id)
    response = client.get(f"/spotify-web/artist/{artist.spotify_artist_id}")
    listeners = world.spotify_current(artist.spotify_artist_id)["monthly_listeners"]
    assert response.status_code == 200 and f"{listeners:,}" in response.text
    assert client.get("/spotify-web/artist/" + "0" * 22).status_code == 404


# ---- Instagram ----

def _discovery(client, username):
    fields = f"business_discovery.username({username}){{followers_count,media_count,username}}"
    return client.get(f"/instagram/v21.0/{SANDBOX_INSTAGRAM_USER_ID}", params={"fields": fields, "access_token": KEY})


def test_business_discovery_returns_the_accounts_counters(client, world):
    """Instagram ingestion reads exactly these fields."""
    username = next(a.instagram_username for a in world.artists if a.instagram_username)
    body = _discovery(client, username).json()
    now = world.instagram_current(username)
    assert body["id"] == SANDBOX_INSTAGRAM_USER_ID
    assert body["business_discovery"]["followers_count"] == now["followers"]
    assert body["business_discovery"]["media_count"] == now["media"]
    assert set(body["business_discovery"]) == {"followers_count", "media_count", "username", "id"}


def test_unknown_instagram_username_is_the_real_oauth_error(client):
    """An unknown account must be recognisable by its real error code."""
    response = _discovery(client, "nobody_here_at_all")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["code"], error["error_subcode"], error["message"]) == \
        ("OAuthException", 110, 2207013, "Invalid user id")
    assert error["fbtrace_id"]


# ---- ViewStats ----

def test_viewstats_returns_weekly_rows_in_range(client, world):
    """The ViewStats parser is written against this invented shape."""
    channel_id = _active_ids(world, 1)[0]
    body = client.get(f"/viewstats/channels/{channel_id}/weekly",
                      params={"from": "2026-10-01", "to": "2026-11-30"}).json()
    assert body["channelId"] == channel_id
    assert [r["date"] for r in body["data"]] == ["2026-10-04", "2026-10-11", "2026-10-18", "2026-10-25",
                                                 "2026-11-01", "2026-11-08", "2026-11-15"]
    assert set(body["data"][0]) == {"date", "subscriberCount", "viewCount", "longformViewCount", "shortsViewCount"}
    assert all(isinstance(v, int) for r in body["data"] for k, v in r.items() if k != "date")


def test_viewstats_history_starts_in_august_2022(client, world):
    """The Wayback -> ViewStats junction sits at 2022-08."""
    channel = next(c for c in world.channels if c.joined_on < date(2020, 1, 1) and not world.tweak(c.row))
    data = client.get(f"/viewstats/channels/{channel.channel_id}/weekly").json()["data"]
    assert data[0]["date"] == "2022-08-07"


def test_viewstats_unknown_channel_is_a_json_404(client):
    """Unknown channels must be distinguishable from blocks."""
    response = client.get("/viewstats/channels/UCnobodynobodynobodynobo/weekly")
    assert response.status_code == 404 and response.json()["channelId"] == "UCnobodynobodynobodynobo"


def test_viewstats_captcha_is_a_cloudflare_challenge_page(client, world):
    """Challenge pages must be detected, never parsed as data."""
    client.post("/_sandbox/faults", json={"service": "viewstats", "captcha": 1})
    response = client.get(f"/viewstats/channels/{_active_ids(world, 1)[0]}/weekly")
    assert response.status_code == 403 and response.headers["content-type"].startswith("text/html")
    assert "<title>Just a moment...</title>" in response.text and "cf-chl" in response.text


# ---- Wayback ----

def _cdx(client, channel_id, **params):
    url = f"socialblade.com/youtube/channel/{channel_id}/monthly"
    return client.get("/wayback/cdx/search/cdx", params={"url": url, **params})


def _old_channel(world):
    return next(c for c in world.channels if c.joined_on < date(2015, 1, 1) and not world.tweak(c.row))


def test_cdx_json_has_the_real_header_and_resume_key_trailer(client, world, realdata):
    """CDX clients parse this header and trailer."""
    channel = _old_channel(world)
    rows = _cdx(client, channel.channel_id, output="json", limit=5, showResumeKey="true").json()
    real = realdata("cdx/openwayback_readme_cdx_json_showResumeKey.json")
    assert rows[0] == real[0]
    assert len(rows) == 1 + 5 + 2 and rows[-2] == [] and len(rows[-1]) == 1
    assert rows[1][2] == f"https://socialblade.com/youtube/channel/{channel.channel_id}/monthly"


def _collect(client, channel_id, output):
    """Follow resume keys to the end, as a client of the real CDX server does."""
    timestamps, key, pages = [], None, 0
    while True:
        params = {"limit": 10, "showResumeKey": "true", **({"output": "json"} if output == "json" else {})}
        if key:
            params["resumeKey"] = key
        response = _cdx(client, channel_id, **params)
        pages += 1
        if output == "json":
            rows = response.json()
            key = rows[-1][0] if len(rows) > 2 and rows[-2] == [] else None
            timestamps += [r[1] for r in (rows[1:-2] if key else rows[1:])]
        else:
            body, _, trailer = response.text.partition("\n\n")
            key = trailer.strip() or None
            timestamps += [line.split(" ")[1] for line in body.splitlines() if line]
        if not key:
            return timestamps, pages


@pytest.mark.parametrize("output", ["json", "text"])
def test_cdx_pagination_reaches_every_capture_with_some_listed_twice(client, world, output):
    """Resume keys must lead to every capture; duplicates must be handled by clients."""
    channel = _old_channel(world)
    timestamps, pages = _collect(client, channel.channel_id, output)
    assert set(timestamps) == {s.timestamp for s in world.snapshots(channel.channel_id)}
    assert len(timestamps) > len(set(timestamps))  # duplicate rows, as real CDX has
    assert pages > 3


def test_cdx_plain_text_rows_are_space_separated_like_the_real_ones(client, world, realdata):
    """Plain-text CDX is the default output clients must parse."""
    real_line = realdata("cdx/edgi_cdx_plaintext_cnn_multipage_p01.txt").splitlines()[0]
    line = _cdx(client, _old_channel(world).channel_id, limit=1).text.splitlines()[0]
    assert len(line.split(" ")) == len(real_line.split(" ")) == 7


def test_cdx_from_and_to_filter_by_timestamp_prefix(client, world):
    """Clients narrow queries by date prefixes, as on web.archive.org."""
    rows = _cdx(client, _old_channel(world).channel_id, output="json", **{"from": "2021", "to": "2021"}).json()
    assert rows[1:] and all(r[1].startswith("2021") for r in rows[1:])


def test_cdx_fl_and_collapse_thin_the_listing_like_the_real_server(client, world):
    """Clients ask for one capture a month and only the fields they need."""
    rows = _cdx(client, _old_channel(world).channel_id, output="json", fl="timestamp,statuscode",
                collapse="timestamp:6").json()
    assert rows[0] == ["timestamp", "statuscode"]
    months = [r[0][:6] for r in rows[1:]]
    assert len(months) == len(set(months)) > 30


def test_blocked_fault_answers_the_real_blocked_site_error(client, world, realdata):
    """A blocked site must look exactly like the real refusal."""
    client.post("/_sandbox/faults", json={"service": "wayback", "blocked": 1})
    response = _cdx(client, _old_channel(world).channel_id)
    assert response.status_code == 403
    assert response.text.strip() == realdata("cdx/edgi_cdx_403_blocked_site_body.txt").strip()


def test_archived_page_replays_the_snapshot_points(client, world):
    """The spider reads chart points from these pages."""
    pytest.importorskip("sandbox.pages.socialblade", reason="sandbox/pages (other helper) not present yet")
    channel = _old_channel(world)
    snapshot = next(s for s in world.snapshots(channel.channel_id) if s.layout == "highcharts")
    response = client.get(f"/wayback/web/{snapshot.timestamp}/{snapshot_url(channel.channel_id)}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    last_subs = world.socialblade_points(channel.channel_id, snapshot)["subscribers"][-1][1]
    assert str(last_subs) in response.text


def test_a_timestamp_between_captures_redirects_to_the_nearest(client, world):
    """The real Wayback Machine redirects; clients must follow."""
    channel = _old_channel(world)
    snapshot = world.snapshots(channel.channel_id)[5]
    near = str(int(snapshot.timestamp) + 1)
    response = client.get(f"/wayback/web/{near}/{snapshot_url(channel.channel_id)}")
    assert response.status_code == 302
    assert f"/wayback/web/{snapshot.timestamp}/" in response.headers["location"]


def test_wayback_captcha_serves_a_block_page(client, world):
    """Spiders must recognise block pages and back off."""
    pytest.importorskip("sandbox.pages.socialblade", reason="sandbox/pages (other helper) not present yet")
    client.post("/_sandbox/faults", json={"service": "wayback", "captcha": 1})
    channel = _old_channel(world)
    snapshot = world.snapshots(channel.channel_id)[0]
    response = client.get(f"/wayback/web/{snapshot.timestamp}/{snapshot_url(channel.channel_id)}")
    assert response.status_code in (403, 429) and response.headers["content-type"].startswith("text/html")


def snapshot_url(channel_id: str) -> str:
    return f"https://socialblade.com/youtube/channel/{channel_id}/monthly"


def test_the_sandbox_binds_loopback_on_a_port_the_os_chose(sandbox):
    """Parallel test runs must never collide on a port or reach the network."""
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}" and sandbox.port > 0
    assert httpx.get(sandbox.base_url + "/_sandbox/stats").status_code == 200
