"""The YouTube source against the sandbox: cost, faults, resumption, rejects, leaks."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

from ingestion.http import FakeClock, ServiceClient
from ingestion.watchlist import watchlist_values
from ingestion.youtube import observation_day, youtube_source
from ingestion.youtube.client import YouTubeClient

from .ingest_support import FAKE_SECRETS, assert_no_secret_anywhere, batches, query, sandbox_stats, set_faults

# 23:30 in Los Angeles, 07:30 UTC: the quota resets 30 minutes later, same UTC day.
BEFORE_RESET = datetime(2026, 1, 7, 7, 30, tzinfo=timezone.utc)


def yt_client(clock: FakeClock) -> YouTubeClient:
    return YouTubeClient(ServiceClient("youtube", clock=clock))


def channel_counts() -> tuple[int, int]:
    return query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_youtube.channels")[0]


def test_full_refresh_costs_one_unit_per_fifty_channels(sb, run, clock):
    ids = watchlist_values("youtube_channel_id")
    run("youtube", youtube_source(client=yt_client(clock)))
    assert sandbox_stats(sb)["youtube_quota_units"] == batches(len(ids))
    assert channel_counts() == (len(ids), len(ids))


def test_429_storm_and_5xx_within_the_retry_budget_lose_nothing_and_duplicate_nothing(sb, run, clock):
    ids = watchlist_values("youtube_channel_id")
    set_faults(sb, "youtube", status_429=2, status_5xx=2)
    run("youtube", youtube_source(client=yt_client(clock)))
    assert channel_counts() == (len(ids), len(ids))
    assert len(clock.sleeps) == 4, "each failure waited (on the fake clock)"


def test_a_storm_beyond_the_retry_budget_leaves_the_batch_for_the_next_run(sb, run, clock):
    ids = watchlist_values("youtube_channel_id")
    set_faults(sb, "youtube", status_429=3, status_5xx=3)
    run("youtube", youtube_source(client=yt_client(clock)))
    assert channel_counts()[0] == len(ids) - 50
    run("youtube", youtube_source(client=yt_client(clock)))
    assert channel_counts() == (len(ids), len(ids))


def test_unknown_ids_are_stored_inactive_and_not_retried(sb, run, clock):
    known = watchlist_values("youtube_channel_id")[:3]
    run("youtube", youtube_source(channel_ids=known + ["UCnotAChannel0000000000x"], client=yt_client(clock)))
    assert query("SELECT channel_id FROM raw_youtube.channels WHERE NOT is_active") == [("UCnotAChannel0000000000x",)]
    assert sandbox_stats(sb)["youtube_quota_units"] == 1


def test_rerun_the_same_day_adds_no_rows_and_requests_nothing(sb, run, clock):
    ids = watchlist_values("youtube_channel_id")
    run("youtube", youtube_source(client=yt_client(clock)))
    run("youtube", youtube_source(client=yt_client(clock)))
    assert channel_counts() == (len(ids), len(ids))
    assert sandbox_stats(sb)["youtube_quota_units"] == batches(len(ids))


def test_quota_exhausted_mid_run_resumes_next_run_without_paying_twice(sb, run):
    ids = watchlist_values("youtube_channel_id")
    assert batches(len(ids)) > 2
    set_faults(sb, "youtube", quota_limit=2)
    clock = FakeClock(BEFORE_RESET)
    run("youtube", youtube_source(client=yt_client(clock)))
    assert channel_counts()[0] == 100

    # Before the reset the breaker holds (state remembers it): nothing is requested.
    run("youtube", youtube_source(client=yt_client(FakeClock(BEFORE_RESET + timedelta(minutes=10)))))
    assert sandbox_stats(sb)["requests"]["youtube"] == 3

    set_faults(sb, "youtube", quota_limit=10_000)
    run("youtube", youtube_source(client=yt_client(FakeClock(BEFORE_RESET + timedelta(hours=1)))))
    assert channel_counts() == (len(ids), len(ids))
    assert sandbox_stats(sb)["youtube_quota_units"] == batches(len(ids))


def test_malformed_body_is_recorded_in_rejects_and_the_batch_still_lands(sb, run, clock):
    ids = watchlist_values("youtube_channel_id")
    set_faults(sb, "youtube", malformed=1)
    run("youtube", youtube_source(client=yt_client(clock)))
    assert channel_counts() == (len(ids), len(ids))
    reasons = query("SELECT source, reason FROM raw_youtube.rejects")
    assert len(reasons) == 1 and reasons[0][0] == "youtube" and "not JSON" in reasons[0][1]


def test_weekly_mode_stamps_the_sunday_closing_the_week(sb, run):
    wednesday = FakeClock(datetime(2026, 1, 7, 12, tzinfo=timezone.utc))
    run("youtube", youtube_source(channel_ids=watchlist_values("youtube_channel_id")[:2], weekly=True,
                                  client=yt_client(wednesday)))
    assert query("SELECT DISTINCT observed_on::VARCHAR FROM raw_youtube.channels") == [("2026-01-11",)]


def test_weekly_mode_skips_monday_and_says_so(sb, run, caplog):
    caplog.set_level(logging.INFO, logger="urated.ingestion.youtube")
    monday = FakeClock(datetime(2026, 1, 5, 12, tzinfo=timezone.utc))
    run("youtube", youtube_source(weekly=True, client=yt_client(monday)))
    assert sandbox_stats(sb)["requests"]["youtube"] == 0
    assert "skipped" in caplog.text and "Monday" in caplog.text


@pytest.mark.parametrize("day,expected", [(5, None), (6, None), (7, "2026-01-11"), (11, "2026-01-11")])
def test_observation_day_in_weekly_mode(day, expected):
    stamp = observation_day(datetime(2026, 1, day, 12, tzinfo=timezone.utc), weekly=True)
    assert (stamp.isoformat() if stamp else None) == expected


def test_secrets_never_reach_logs_tables_or_dlt_state(sb, run, clock, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    set_faults(sb, "youtube", status_429=2, malformed=1)
    run("youtube", youtube_source(client=yt_client(clock)))
    assert "key=" in caplog.text, "httpx logged request URLs, so redaction was exercised"
    assert_no_secret_anywhere(FAKE_SECRETS["YOUTUBE_API_KEY"], caplog.text, "raw_youtube", tmp_path / "dlt")


def test_a_refused_key_fails_the_run_with_a_redacted_typed_error(sb, run, clock, monkeypatch):
    from dlt.pipeline.exceptions import PipelineStepFailed

    from ingestion.http import ClientError

    monkeypatch.setenv("YOUTUBE_API_KEY", "bad key!")  # the sandbox answers the real 400 keyInvalid
    with pytest.raises(PipelineStepFailed) as caught:
        run("youtube", youtube_source(client=yt_client(clock)))
    chain, error = [], caught.value
    while error is not None:
        chain.append(error)
        error = error.__cause__
    refused = next(e for e in chain if isinstance(e, ClientError))
    assert refused.status == 400 and "keyInvalid" in refused.body
    assert all("bad key!" not in str(e) and "bad+key" not in str(e) for e in chain)
    assert sandbox_stats(sb)["requests"]["youtube"] == 1
