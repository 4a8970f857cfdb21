"""Every route answers what a direct SQL query on the published marts answers for the same question."""

from __future__ import annotations

import json
from datetime import date

import pytest

from .api_support import change_and_publish

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build

ARTIST_COLUMNS = ("artist_id, artist_name, youtube_channel_id, spotify_artist_id, instagram_username, country, category, "
                  "status, youtube_status, spotify_status, instagram_status, is_watchlisted, first_seen_at, last_seen_at")
GROWTH_FIELDS = ("platform", "metric", "period", "as_of", "start_at", "value_start", "value_end", "abs_change",
                 "growth_pct", "growth_rank", "is_within_rounding", "is_interpolated", "source_start", "source_end",
                 "quality_end")


def jsonable(rows: list[dict]) -> list[dict]:
    """SQL rows as the API's JSON spells them (dates as ISO strings)."""
    return json.loads(json.dumps(rows, default=str))


def growth_rows(api_world, where: str, params: list, extra: str = "") -> list[dict]:
    return jsonable(api_world.sql_dicts(
        f"select g.artist_id, a.artist_name, {', '.join('g.' + f for f in GROWTH_FIELDS if f != 'growth_pct')}, "
        f"round(g.growth_pct, 4) as growth_pct {extra} "
        f"from marts.fct_growth_ranked g join marts.dim_artists a using (artist_id) where {where}", params))


def walk(client, url: str, params: dict) -> list[dict]:
    """Every row of a paged listing, following next_cursor to the end."""
    rows, cursor = [], None
    for _ in range(1000):
        page = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        rows += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows
    raise AssertionError("pagination did not end")


def latest_as_of(api_world, platform: str, metric: str, period: str) -> date:
    return api_world.sql("select max(as_of) from marts.fct_growth where platform = ? and metric = ? and period = ?",
                         [platform, metric, period])[0][0]


def busiest_as_of(api_world, platform: str, metric: str, period: str) -> date:
    """The latest window end that the most artists share (the fixture's latest weeks have only a few)."""
    return api_world.sql("select as_of from marts.fct_growth where platform = ? and metric = ? and period = ? "
                         "group by as_of order by count(*) desc, as_of desc limit 1", [platform, metric, period])[0][0]


# -- artists ------------------------------------------------------------------------------------

@pytest.mark.parametrize("limit", [1, 2, 100])
def test_artist_pages_walk_every_artist_exactly_once_in_id_order(client, api_world, limit):
    expected = jsonable(api_world.sql_dicts(f"select {ARTIST_COLUMNS} from marts.dim_artists order by artist_id"))
    assert walk(client, "/v1/artists", {"limit": limit}) == expected


def test_artist_search_matches_a_name_substring_whatever_its_case(client, api_world):
    expected = [r[0] for r in api_world.sql(
        "select artist_id from marts.dim_artists where contains(lower(artist_name), 'alph') order by artist_id")]
    found = [a["artist_id"] for a in client.get("/v1/artists", params={"q": "ALPH"}).json()["data"]]
    assert found == expected == ["art_alpha"]


@pytest.mark.parametrize("column", ["artist_id", "youtube_channel_id", "spotify_artist_id", "instagram_username"])
def test_artist_search_finds_an_exact_platform_id(client, api_world, column):
    accounts = api_world.sql(f"select artist_id, {column} from marts.dim_artists where {column} is not null")
    assert accounts
    for artist_id, platform_id in accounts:
        found = client.get("/v1/artists", params={"q": platform_id}).json()["data"]
        assert artist_id in [a["artist_id"] for a in found]
        # Anything else found matched by name, never by a partial id.
        assert all(a["artist_id"] == artist_id or platform_id.lower() in a["artist_name"].lower() for a in found)


def test_platform_and_status_filters_use_that_platforms_own_status(client, api_world):
    expected = [r[0] for r in api_world.sql(
        "select artist_id from marts.dim_artists where spotify_artist_id is not null and spotify_status = 'terminated'")]
    found = [a["artist_id"] for a in client.get("/v1/artists", params={"platform": "spotify", "status": "terminated"}).json()["data"]]
    assert found == expected == ["sp_sp_gone"]


def test_status_filter_alone_uses_the_artists_status(client, api_world):
    expected = [r[0] for r in api_world.sql("select artist_id from marts.dim_artists where status = 'inactive' order by 1")]
    found = [a["artist_id"] for a in client.get("/v1/artists", params={"status": "inactive"}).json()["data"]]
    assert found == expected and len(expected) >= 2


def test_one_artist_has_every_id_status_and_the_latest_value_of_every_metric(client, api_world):
    body = client.get("/v1/artists/art_alpha").json()
    (artist,) = jsonable(api_world.sql_dicts(f"select {ARTIST_COLUMNS} from marts.dim_artists where artist_id = 'art_alpha'"))
    latest = jsonable(api_world.sql_dicts(
        "select platform, metric, observed_at, value, source, is_interpolated, quality from marts.fct_metrics "
        "where artist_id = 'art_alpha' qualify observed_at = max(observed_at) over (partition by platform, metric) "
        "order by platform, metric"))
    assert {k: v for k, v in body.items() if k != "latest"} == artist
    assert body["latest"] == latest
    assert {(p["platform"], p["metric"]) for p in latest} >= {("youtube", "subscribers"), ("spotify", "followers"),
                                                              ("instagram", "followers")}


# -- metrics ------------------------------------------------------------------------------------

def test_metrics_without_dates_are_the_latest_point_of_each_metric(client, api_world):
    body = client.get("/v1/artists/art_alpha/metrics", params={"platform": "youtube"}).json()
    expected = jsonable(api_world.sql_dicts(
        "select platform, metric, observed_at, value, source, is_interpolated, quality from marts.fct_metrics "
        "where artist_id = 'art_alpha' and platform = 'youtube' "
        "qualify observed_at = max(observed_at) over (partition by metric) order by metric"))
    assert body == {"artist_id": "art_alpha", "mode": "latest", "points": expected}


def test_metrics_with_dates_are_the_weekly_series_between_them(client, api_world):
    params = {"platform": "youtube", "metric": "subscribers", "from": "2024-04-01", "to": "2024-06-30"}
    body = client.get("/v1/artists/art_alpha/metrics", params=params).json()
    expected = jsonable(api_world.sql_dicts(
        "select platform, metric, observed_at, value, source, is_interpolated, quality from marts.fct_metrics "
        "where artist_id = 'art_alpha' and platform = 'youtube' and metric = 'subscribers' "
        "and observed_at between date '2024-04-01' and date '2024-06-30' order by observed_at"))
    assert body["mode"] == "series" and body["points"] == expected
    assert any(p["is_interpolated"] for p in expected)  # the two missing ViewStats weeks are in this span


def test_a_series_with_only_from_runs_to_the_latest_week(client, api_world):
    body = client.get("/v1/artists/art_beta/metrics", params={"metric": "views", "from": "2026-10-01"}).json()
    expected = api_world.sql("select count(*) from marts.fct_metrics where artist_id = 'art_beta' and metric = 'views' "
                             "and observed_at >= date '2026-10-01'")[0][0]
    assert body["mode"] == "series" and len(body["points"]) == expected > 0


# -- growth -------------------------------------------------------------------------------------

def test_artist_growth_defaults_to_each_series_latest_window(client, api_world):
    body = client.get("/v1/artists/art_alpha/growth", params={"platform": "youtube", "metric": "subscribers"}).json()
    expected = growth_rows(api_world, "g.artist_id = 'art_alpha' and g.platform = 'youtube' and g.metric = 'subscribers' "
                                      "qualify g.as_of = max(g.as_of) over (partition by g.period)", [])
    by_period = {r["period"]: {k: r[k] for k in GROWTH_FIELDS} for r in expected}
    assert [w["period"] for w in body["windows"]] == ["1d", "7d", "30d", "90d", "365d"]
    assert {w["period"]: w for w in body["windows"]} == by_period


def test_artist_growth_as_of_gives_the_windows_ending_that_day(client, api_world):
    body = client.get("/v1/artists/art_beta/growth", params={"as_of": "2024-03-10", "metric": "subscribers"}).json()
    expected = growth_rows(api_world, "g.artist_id = 'art_beta' and g.metric = 'subscribers' and g.as_of = date '2024-03-10'", [])
    assert sorted(w["period"] for w in body["windows"]) == sorted(r["period"] for r in expected)
    spike = next(w for w in body["windows"] if w["period"] == "7d")
    assert spike["growth_rank"] == 1 and spike["growth_pct"] > 300


@pytest.mark.parametrize("order, sort", [
    ("pct_desc", lambda r: (-(r["growth_pct"] if r["growth_pct"] is not None else float("-inf")), r["artist_id"])),
    ("pct_asc", lambda r: ((r["growth_pct"] if r["growth_pct"] is not None else float("inf")), r["artist_id"])),
    ("abs_desc", lambda r: (-r["abs_change"], r["artist_id"])),
    ("abs_asc", lambda r: (r["abs_change"], r["artist_id"])),
])
def test_growth_of_every_artist_walks_each_row_once_in_the_requested_order(client, api_world, order, sort):
    as_of = busiest_as_of(api_world, "youtube", "views", "7d")
    expected = growth_rows(api_world, "g.platform = 'youtube' and g.metric = 'views' and g.period = '7d' and g.as_of = ?", [as_of])
    rows = walk(client, "/v1/artists/growth", {"platform": "youtube", "metric": "views", "period": "7d",
                                               "as_of": str(as_of), "order": order, "limit": 1})
    assert len(expected) >= 4
    assert rows == sorted(expected, key=sort)


def test_growth_from_zero_sorts_last_whichever_way(client, api_world):
    params = {"platform": "youtube", "metric": "subscribers", "period": "7d", "as_of": "2019-01-13", "limit": 100}
    for order in ("pct_desc", "pct_asc"):
        rows = client.get("/v1/artists/growth", params={**params, "order": order}).json()["data"]
        assert rows[-1]["artist_id"] == "yt_UCdelta" and rows[-1]["growth_pct"] is None


def test_top_with_its_defaults_is_what_marts_top_growers_holds(client, api_world):
    for platform, metric, period in api_world.sql("select distinct platform, metric, period from marts.top_growers"):
        body = client.get("/v1/artists/top", params={"platform": platform, "metric": metric, "period": period}).json()
        expected = api_world.sql("select artist_id, grower_rank, round(growth_pct, 4) from marts.top_growers "
                                 "where platform = ? and metric = ? and period = ? order by grower_rank, artist_id",
                                 [platform, metric, period])
        assert [(r["artist_id"], r["rank"], r["growth_pct"]) for r in body["data"]] == [tuple(e) for e in expected]


def test_top_growers_need_min_value_at_the_end_of_the_window(client, api_world):
    # Videos are counted in tens: at the default 1,000 nobody qualifies, with min_value=0 everybody does.
    params = {"platform": "youtube", "metric": "videos", "period": "90d"}
    as_of = latest_as_of(api_world, "youtube", "videos", "90d")
    small = api_world.sql("select count(*) from marts.fct_growth where platform = 'youtube' and metric = 'videos' "
                          "and period = '90d' and as_of = ? and growth_pct is not null", [as_of])[0][0]
    assert client.get("/v1/artists/top", params=params).json()["data"] == []
    everyone = client.get("/v1/artists/top", params={**params, "min_value": 0, "limit": 100}).json()["data"]
    assert len(everyone) == small > 0


def test_top_by_absolute_change_orders_by_abs_change(client, api_world):
    params = {"platform": "youtube", "metric": "views", "period": "30d", "by": "abs", "limit": 100}
    body = client.get("/v1/artists/top", params=params).json()
    expected = growth_rows(api_world, "g.platform = 'youtube' and g.metric = 'views' and g.period = '30d' "
                                      "and g.as_of = ? and g.value_end >= 1000", [latest_as_of(api_world, "youtube", "views", "30d")])
    assert [r["artist_id"] for r in body["data"]] == [r["artist_id"] for r in sorted(expected, key=lambda r: (-r["abs_change"], r["artist_id"]))]
    assert [r["rank"] for r in body["data"]] == list(range(1, len(expected) + 1))


def test_filter_keeps_artists_whose_latest_value_is_below_the_threshold(client, api_world):
    as_of = latest_as_of(api_world, "youtube", "subscribers", "7d")
    threshold = api_world.sql("select median(value_end) from marts.fct_growth where platform = 'youtube' "
                              "and metric = 'subscribers' and period = '7d' and as_of = ?", [as_of])[0][0]
    expected = growth_rows(api_world, "g.platform = 'youtube' and g.metric = 'subscribers' and g.period = '7d' "
                                      "and g.as_of = ? and g.value_end < ?", [as_of, threshold])
    rows = walk(client, "/v1/artists/filter", {"platform": "youtube", "metric": "subscribers", "period": "7d",
                                               "lt": threshold, "limit": 1})
    assert len(expected) >= 1
    assert sorted(rows, key=lambda r: r["artist_id"]) == sorted(expected, key=lambda r: r["artist_id"])


def test_filter_between_two_bounds(client, api_world):
    as_of = latest_as_of(api_world, "youtube", "views", "30d")
    low, high = api_world.sql("select min(value_end), max(value_end) from marts.fct_growth where platform = 'youtube' "
                              "and metric = 'views' and period = '30d' and as_of = ?", [as_of])[0]
    rows = client.get("/v1/artists/filter", params={"platform": "youtube", "metric": "views", "gt": low, "lt": high}).json()["data"]
    expected = api_world.sql("select count(*) from marts.fct_growth where platform = 'youtube' and metric = 'views' "
                             "and period = '30d' and as_of = ? and value_end > ? and value_end < ?", [as_of, low, high])[0][0]
    assert len(rows) == expected and all(low < r["value_end"] < high for r in rows)


# -- anomalies ----------------------------------------------------------------------------------

def test_anomalies_are_the_marts_flagged_weeks_with_every_detector(client, api_world):
    body = client.get("/v1/anomalies").json()
    expected = api_world.sql("select artist_id, platform, metric, week_at, list(detector order by detector), "
                             "list(score order by detector), min(reason) from marts.fct_anomalies "
                             "group by all having bool_or(is_anomaly) order by week_at desc, artist_id")
    assert [(a["artist_id"], a["platform"], a["metric"], a["week_at"], [d["detector"] for d in a["detectors"]],
             [d["score"] for d in a["detectors"]], a["reason"]) for a in body["data"]] == \
        [(r[0], r[1], r[2], str(r[3]), r[4], r[5], r[6]) for r in expected]
    assert ("art_beta", "2024-03-10") in {(a["artist_id"], a["week_at"]) for a in body["data"]}


def test_anomalies_since_a_day_leave_out_older_weeks(client):
    assert client.get("/v1/anomalies", params={"since": "2024-03-11"}).json()["data"] == []
    assert client.get("/v1/anomalies", params={"since": "2024-03-10"}).json()["data"] != []


def test_an_artists_anomalies_are_only_its_own(client, api_world):
    beta = client.get("/v1/artists/art_beta/anomalies").json()
    assert beta["artist_id"] == "art_beta" and {a["artist_id"] for a in beta["data"]} == {"art_beta"}
    assert client.get("/v1/artists/art_gamma/anomalies").json()["data"] == [
        a for a in client.get("/v1/anomalies", params={"include_review": False}).json()["data"] if a["artist_id"] == "art_gamma"]


def test_anomaly_kind_is_exposed_when_the_mart_has_it(client, private_world):
    # fct_anomalies names each flagged week's kind (the fixture's spike is bought followers).
    assert {a["kind"] for a in client.get("/v1/anomalies").json()["data"]} == {"bought_followers"}
    change_and_publish(private_world, "alter table marts.fct_anomalies drop column kind")
    assert {a["kind"] for a in client.get("/v1/anomalies").json()["data"]} == {None}


# -- health -------------------------------------------------------------------------------------

def test_health_reports_the_served_version_and_each_sources_newest_day(make_client, api_world):
    from urated import warehouse

    body = make_client().get("/v1/health").json()
    snapshot = warehouse.current_snapshot()
    expected = api_world.sql("select source, max(last_observed_at) from marts.source_coverage group by 1 order by 1")
    assert body["status"] == "ok" and body["version"] == snapshot.version
    assert body["published_at"].replace("Z", "+00:00") == snapshot.published_at.isoformat()
    assert [(s["source"], s["newest_observed_at"]) for s in body["sources"]] == [(s, str(d)) for s, d in expected]
