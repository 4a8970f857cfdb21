"""Each kind of fct_anomalies on series built to show exactly one thing, through the real pipeline.

Weekly YouTube histories go through the YouNiverse loader and a daily Spotify artist through dlt
(bench.anomaly_eval.pipeline, the evaluation's own loading), then dbt builds up to fct_anomalies.
Every series grows organically (a seeded ±20 % around its pace) except for what its name says.
"""

from __future__ import annotations

import numpy as np
import pytest

from bench.anomaly_eval.pipeline import read_flags, run_pipeline
from bench.anomaly_eval.realdata import Series, channel_id, spotify_id

pytestmark = pytest.mark.slow

WEEKS = 30
EVENT = 20  # the week index every event happens in
PURGE_WEEK = 15
FIRST_SUNDAY = np.datetime64("2024-01-07")
SUNDAYS = FIRST_SUNDAY + 7 * np.arange(WEEKS)
PLATFORM_ACCOUNTS = 12


def organic(start: float, gain: float, seed: int) -> np.ndarray:
    """A counter gaining ``gain`` a week, give or take 20 %."""
    steps = gain * np.random.default_rng(seed).uniform(0.8, 1.2, WEEKS - 1)
    return np.rint(start + np.concatenate([[0.0], np.cumsum(steps)]))


def channel(name: str, subscribers: np.ndarray, views: np.ndarray) -> Series:
    return Series(channel_id("rules", name), "youtube", name, "test", SUNDAYS.copy(),
                  {"subscribers": subscribers, "views": views})


def after(values: np.ndarray, week: int, extra: float) -> np.ndarray:
    out = values.copy()
    out[week:] += extra
    return out


def youtube_channels() -> list[Series]:
    subs, views = organic(200_000, 2_000, 1), organic(50_000_000, 400_000, 2)
    decline = subs.copy()
    decline[EVENT:EVENT + 6] = subs[EVENT - 1] * 0.97 ** np.arange(1, 7)  # six weeks of -3 %
    decline[EVENT + 6:] = decline[EVENT + 5] + (subs[EVENT + 6:] - subs[EVENT + 5])
    spike = views.copy()
    spike[EVENT] *= 10  # one week at ten times, then back
    young_subs = np.concatenate([[500.0], 1_500 + 700.0 * np.arange(WEEKS - 1)])
    young_views = np.concatenate([[10_000.0], 13_000 + 3_000.0 * np.arange(WEEKS - 1)])
    true_subs = organic(1_234_000, 3_000, 3)  # rounded: 3 significant figures, steps of 10,000
    series = [
        channel("steady", subs, views),
        channel("bought", after(subs, EVENT, 16_000), views),
        channel("viral", after(subs, EVENT, 16_000), after(views, EVENT, 3_200_000)),
        channel("botted", subs, after(views, EVENT, 4_000_000)),
        channel("decline", decline, views),
        channel("impossible", subs, spike),
        channel("young", young_subs, young_views),
        channel("rounded", np.floor(true_subs / 10_000) * 10_000, views),
    ]
    for i in range(PLATFORM_ACCOUNTS):
        account = organic(80_000 + 5_000 * i, 600, 10 + i)
        account[PURGE_WEEK:] = np.rint(account[PURGE_WEEK:] * 0.95)
        series.append(channel(f"platform_{i}", account, organic(9_000_000, 90_000, 40 + i)))
    return series


def spotify_artist() -> Series:
    days = np.arange(FIRST_SUNDAY, FIRST_SUNDAY + np.timedelta64(7 * WEEKS, "D"))
    rng = np.random.default_rng(5)
    followers = np.rint(20_000 + np.cumsum(rng.uniform(40, 60, len(days))))
    listeners = np.rint(90_000 * rng.uniform(0.98, 1.02, len(days)))
    burst = (days > SUNDAYS[EVENT] - 4) & (days <= SUNDAYS[EVENT] + 24)  # 28 days of fake streams
    listeners[burst] *= 2
    return Series(spotify_id("rules", "fake_streams"), "spotify", "fake_streams", "test", days,
                  {"followers": followers, "monthly_listeners": listeners})


@pytest.fixture(scope="module")
def flags(tmp_path_factory):
    youtube, spotify = youtube_channels(), [spotify_artist()]
    root = tmp_path_factory.mktemp("anomaly_rules")
    run_pipeline(youtube, spotify, root)
    names = {f"yt_{s.key}": s.title for s in youtube} | {f"sp_{s.key}": s.title for s in spotify}
    return [{**f, "name": names[f["artist_id"]]} for f in read_flags(root / "warehouse.duckdb")]


def anomalous(flags) -> set[tuple]:
    return {(f["name"], f["metric"], f["week_at"], f["kind"]) for f in flags if f["is_anomaly"]}


def week(index: int):
    return SUNDAYS[index].astype(object)


def test_followers_bought_while_views_keep_their_pace_are_bought_followers(flags):
    assert ("bought", "subscribers", week(EVENT), "bought_followers") in anomalous(flags)


def test_a_viral_week_lifting_subscribers_and_views_together_is_not_fraud(flags):
    assert not [f for f in flags if f["name"] == "viral"]


def test_views_jumping_while_subscribers_keep_their_pace_are_botted_views(flags):
    assert ("botted", "views", week(EVENT), "botted_views") in anomalous(flags)


def test_a_six_week_decline_is_one_purge_reported_once(flags):
    assert {(f["week_at"], f["kind"]) for f in flags if f["name"] == "decline"} == {(week(EVENT), "purge")}


def test_a_spike_that_falls_straight_back_is_one_impossible_value(flags):
    assert {(f["metric"], f["week_at"], f["kind"]) for f in flags if f["name"] == "impossible"} == \
        {("views", week(EVENT), "impossible_value")}


def test_a_young_channels_first_weeks_are_not_fraud(flags):
    assert not [f for f in flags if f["name"] == "young"]


def test_whole_rounding_steps_are_not_spikes(flags):
    assert not [f for f in flags if f["name"] == "rounded"]


def test_listeners_jumping_while_followers_keep_their_pace_are_fake_streams_once(flags):
    # The burst ends 28 days later: listeners falling back is not another event.
    found = {(f["metric"], f["week_at"], f["kind"]) for f in flags if f["name"] == "fake_streams"}
    assert found == {("monthly_listeners", week(EVENT), "fake_streams")}


def test_most_accounts_dropping_the_same_week_is_a_platform_purge_not_their_fraud(flags):
    platform = [f for f in flags if f["name"].startswith("platform_")]
    assert {(f["week_at"], f["kind"], f["is_anomaly"]) for f in platform} == {(week(PURGE_WEEK), "platform_purge", False)}
    assert len(platform) == PLATFORM_ACCOUNTS
    assert "a platform purge" in platform[0]["reason"]


def test_nothing_else_is_flagged(flags):
    expected = {("bought", "subscribers"), ("botted", "views"), ("decline", "subscribers"), ("impossible", "views"),
                ("fake_streams", "monthly_listeners")}
    assert {(f["name"], f["metric"]) for f in flags if f["is_anomaly"]} == expected
