"""ViewStats against the sandbox: weekly rows, CAPTCHA pages, resumption, malformed bodies."""

from __future__ import annotations

from datetime import date, datetime, timezone

from ingestion.http import FakeClock, ServiceClient
from ingestion.viewstats import viewstats_source
from ingestion.viewstats.client import ViewStatsClient
from ingestion.viewstats.parsers import parse_weekly
from ingestion.watchlist import watchlist_values

from .ingest_support import query, sandbox_stats, set_faults, table_exists

AT = datetime(2026, 1, 7, 12, tzinfo=timezone.utc)


def vs_client(sb) -> ViewStatsClient:
    # The fake clock sits on the world's "today" so the requested range matches its data.
    clock = FakeClock(datetime.combine(sb.world.today, datetime.min.time(), tzinfo=timezone.utc))
    return ViewStatsClient(ServiceClient("viewstats", clock=clock))


def expected_weeks(sb, channel_id: str) -> int:
    return len(sb.world.viewstats_weekly(channel_id, date(2022, 8, 7), sb.world.today))


def test_weekly_points_carry_the_longform_shorts_split():
    payload = {"channelId": "UCa", "data": [{"date": "2022-08-07", "subscriberCount": 12300, "viewCount": 100,
                                             "longformViewCount": 70, "shortsViewCount": 30}]}
    row = parse_weekly(payload, "UCa", AT).rows[0]
    assert (row["observed_on"], row["views"], row["longform_views"], row["shorts_views"]) == (date(2022, 8, 7), 100, 70, 30)


def test_a_payload_for_another_channel_is_rejected():
    parsed = parse_weekly({"channelId": "UCb", "data": []}, "UCa", AT)
    assert parsed.rows == [] and "UCb" in parsed.rejects[0][1]


def test_every_week_of_every_channel_is_loaded_once(sb, run):
    ids = watchlist_values("youtube_channel_id")[:8]
    run("viewstats", viewstats_source(channel_ids=ids, client=vs_client(sb)))
    expected = sum(expected_weeks(sb, c) for c in ids)
    assert query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_viewstats.weekly") == \
        [(expected, expected)]
    assert query("SELECT min(observed_on)::VARCHAR FROM raw_viewstats.weekly")[0][0] >= "2022-08-07"


def test_captcha_pages_are_retried_and_never_parsed(sb, run):
    ids = watchlist_values("youtube_channel_id")[:3]
    set_faults(sb, "viewstats", captcha=2)
    client = vs_client(sb)
    run("viewstats", viewstats_source(channel_ids=ids, client=client))
    expected = sum(expected_weeks(sb, c) for c in ids)
    assert query("SELECT count(*) FROM raw_viewstats.weekly") == [(expected,)]
    assert client.http.stats["challenges"] == 2
    assert not table_exists("raw_viewstats", "rejects"), "a page that recovered is not a reject"


def test_a_channel_still_challenged_is_rejected_skipped_and_collected_next_run(sb, run):
    ids = watchlist_values("youtube_channel_id")[:3]
    set_faults(sb, "viewstats", captcha=5)  # all five attempts for the first channel
    run("viewstats", viewstats_source(channel_ids=ids, client=vs_client(sb)))
    assert query("SELECT count(DISTINCT channel_id) FROM raw_viewstats.weekly") == [(2,)]
    assert query("SELECT payload_excerpt FROM raw_viewstats.rejects WHERE reason LIKE 'challenge%'") == [(ids[0],)]
    run("viewstats", viewstats_source(channel_ids=ids, client=vs_client(sb)))
    expected = sum(expected_weeks(sb, c) for c in ids)
    assert query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_viewstats.weekly") == \
        [(expected, expected)]


def test_completed_channels_are_read_from_their_last_week_next_time(sb, run):
    ids = watchlist_values("youtube_channel_id")[:2]
    run("viewstats", viewstats_source(channel_ids=ids, client=vs_client(sb)))
    run("viewstats", viewstats_source(channel_ids=ids, client=vs_client(sb)))
    expected = sum(expected_weeks(sb, c) for c in ids)
    assert query("SELECT count(*) FROM raw_viewstats.weekly") == [(expected,)]
    assert sandbox_stats(sb)["requests"]["viewstats"] == 4


def test_malformed_body_is_rejected_and_retried_without_loss(sb, run):
    ids = watchlist_values("youtube_channel_id")[:3]
    set_faults(sb, "viewstats", malformed=1, status_5xx=1, status_429=1)
    run("viewstats", viewstats_source(channel_ids=ids, client=vs_client(sb)))
    expected = sum(expected_weeks(sb, c) for c in ids)
    assert query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_viewstats.weekly") == \
        [(expected, expected)]
    assert query("SELECT count(*) FROM raw_viewstats.rejects") == [(1,)]
