"""The seeded world keeps its promises: deterministic, realistic, and honest about what it broke."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import numpy as np
import pytest

from sandbox import eras
from sandbox.events import KINDS, daily_window
from sandbox.world import DEMO_WATCHLIST, World, build_world, watchlist_rows

TODAY = date(2026, 11, 21)


def _anomalous(world, platform):
    return {a.artist_id for a in world.anomalies if a.platform == platform}


def test_same_arguments_give_identical_worlds():
    """Benchmarks and tests compare runs: the world must not drift between builds."""
    # Two independent constructions (not the cache) must agree to the last count.
    a, b = World(42, 300, TODAY), World(42, 300, TODAY)
    assert a.artists == b.artists and a.anomalies == b.anomalies and a.junction_breaks == b.junction_breaks
    assert a.platform_purge == b.platform_purge
    channel = a.artists[0].youtube_channel_id
    for metric, values in a.youtube_weekly(channel).items():
        np.testing.assert_array_equal(values, b.youtube_weekly(channel)[metric])


def test_build_world_is_cached_on_its_arguments():
    """The server, the demo and the tests share one world instead of rebuilding it."""
    assert build_world(42, 300, TODAY) is build_world(42, 300, TODAY)
    assert build_world(43, 300, TODAY) is not build_world(42, 300, TODAY)


def test_today_defaults_to_the_environment(monkeypatch):
    """The demo and CI pin the world's day through the environment."""
    monkeypatch.setenv("URATED_SANDBOX_TODAY", "2025-03-12")
    assert build_world(42, 50).today == date(2025, 3, 12)


def test_weeks_are_520_sundays_ending_on_the_last_sunday_before_today(world):
    """Marts align weeks on Sundays; ten years of them is the promised history."""
    assert len(world.weeks) == 520
    assert all(d.weekday() == 6 for d in world.weeks)
    assert world.weeks[-1] == date(2026, 11, 15)
    assert all(b - a == timedelta(days=7) for a, b in zip(world.weeks, world.weeks[1:]))


def test_watchlist_does_not_depend_on_today():
    """The committed watchlist must stay valid whatever day the world is built."""
    assert watchlist_rows(build_world(42, 300, date(2024, 1, 1))) == watchlist_rows(build_world(42, 300, TODAY))


def test_committed_watchlist_matches_the_default_world():
    """The pipeline reads the committed file; it must name the world the sandbox serves."""
    # If this fails: python -m sandbox.world --write-watchlist
    with open(DEMO_WATCHLIST, newline="", encoding="utf-8") as f:
        committed = list(csv.DictReader(f))
    assert committed == watchlist_rows(build_world())
    assert list(committed[0]) == ["artist_id", "artist_name", "youtube_channel_id", "spotify_artist_id",
                                  "instagram_username"]


def test_platform_ids_have_the_real_formats(world):
    """Parsers and dbt tests validate ids; synthetic ones must look like real ones."""
    for artist in world.artists:
        assert re.fullmatch(r"art_\d{4,}", artist.artist_id)
        assert artist.youtube_channel_id is None or re.fullmatch(r"UC[A-Za-z0-9_-]{22}", artist.youtube_channel_id)
        assert artist.spotify_artist_id is None or re.fullmatch(r"[0-9A-Za-z]{22}", artist.spotify_artist_id)
        assert artist.instagram_username is None or artist.instagram_username == artist.instagram_username.lower()
    usernames = [a.instagram_username for a in world.artists if a.instagram_username]
    assert len(usernames) == len(set(usernames))


def test_some_artists_miss_platforms_in_the_promised_shares(big_world):
    """Blank ids and dead channels exercise the pipeline's missing-data paths."""
    n = len(big_world.artists)
    assert 0.07 < sum(a.spotify_artist_id is None for a in big_world.artists) / n < 0.13
    assert 0.12 < sum(a.instagram_username is None for a in big_world.artists) / n < 0.18
    assert 0.03 < sum(a.youtube_channel_id is None for a in big_world.artists) / n < 0.07
    channels = [c for c in big_world.channels if c.artist_id]
    assert 0.015 < sum(c.status == "terminated" for c in channels) / len(channels) < 0.045
    assert 0.01 < sum(c.hidden_subscriber_count for c in channels) / len(channels) < 0.03


def test_extra_channels_are_not_on_the_watchlist(world):
    """YouNiverse holds channels nobody asked for; loaders must not invent artists for them."""
    watchlist = {a.youtube_channel_id for a in world.artists}
    assert len(world.extra_channels) == 100
    assert not watchlist & {c.channel_id for c in world.extra_channels}


def test_channel_sizes_are_heavy_tailed(big_world):
    """Growth ranks and thresholds only mean something on realistic, skewed sizes."""
    finals = np.concatenate([arrays["subscribers"][:, -1] for _, arrays in big_world.youtube_blocks()])
    median = np.median(finals)
    assert 5_000 < median < 500_000
    assert finals.max() >= 10_000_000  # a few stars
    assert np.percentile(finals, 99) > 50 * median


def test_normal_weeks_grow_less_than_15_percent_and_never_shrink(big_world):
    """Normal growth must never look like an anomaly, or detectors cannot be judged."""
    exempt = _anomalous(big_world, "youtube")
    for channels, arrays in big_world.youtube_blocks():
        keep = [i for i, c in enumerate(channels) if c.artist_id not in exempt]
        for metric in ("subscribers", "views"):
            values = arrays[metric][keep].astype(float)
            before, after = values[:, :-1], values[:, 1:]
            alive = before > 0
            assert (after[alive] >= before[alive]).all(), metric
            assert (after[alive] / before[alive]).max() < 1.15, metric


def test_longform_and_shorts_add_up_to_views_and_shorts_start_in_2021(world):
    """The ViewStats split check needs an exact truth to compare against."""
    since_split = np.array([d >= date(2022, 8, 1) for d in world.weeks])
    before_shorts = np.array([d < eras.SHORTS_FIRST for d in world.weeks])
    for _, arrays in world.youtube_blocks():
        total = arrays["longform_views"] + arrays["shorts_views"]
        np.testing.assert_array_equal(total[:, since_split], arrays["views"][:, since_split])
        assert (arrays["shorts_views"][:, before_shorts] == 0).all()
        assert (arrays["shorts_views"][:, ~before_shorts].sum(axis=1) > 0).mean() > 0.9


def test_about_five_percent_of_artists_get_an_anomaly_several_of_them_recent(big_world):
    """Detectors are scored on the recent year, so some anomalies must fall in it."""
    share = len({a.artist_id for a in big_world.anomalies}) / len(big_world.artists)
    assert 0.03 < share < 0.07
    assert sum(a.week > big_world.weeks[-53] for a in big_world.anomalies) >= 5
    kinds = {(a.platform, a.kind) for a in big_world.anomalies}
    assert kinds == {(platform, kind) for platform, platform_kinds in KINDS.items() for kind in platform_kinds}


def test_the_daily_platforms_anomalies_fall_in_the_weeks_the_demo_collects(big_world):
    """Spotify and Instagram have no history: an anomaly before the collected days is invisible."""
    window = daily_window(big_world.weeks)
    daily = [a for a in big_world.anomalies if a.platform != "youtube"]
    assert daily and all(a.week in window and 0 <= (a.week - a.day).days < 7 for a in daily)


def _series(world, anomaly):
    artist = world.artist(anomaly.artist_id)
    if anomaly.platform == "youtube":
        return world.youtube_weekly(artist.youtube_channel_id)
    if anomaly.platform == "spotify":
        return world.spotify_weekly(artist.spotify_artist_id)
    return world.instagram_weekly(artist.instagram_username)


COMPANION = {"subscribers": "views", "views": "subscribers", "followers": "monthly_listeners",
             "monthly_listeners": "followers"}


def test_each_injected_anomaly_shows_in_the_truth_as_described(big_world):
    """Ground truth is only useful if the data really shows what it claims."""
    for anomaly in big_world.anomalies:
        weekly = _series(big_world, anomaly)
        values = weekly[anomaly.metric].astype(float)
        t = big_world.weeks.index(anomaly.week)
        lo = max(t - 9, 0)
        gains = np.diff(values[lo:t + 1])
        usual, gain = max(np.median(gains[:-1]), 1.0), gains[-1]
        if anomaly.kind in ("bought_followers", "botted_views"):
            assert gain >= 0.95 * anomaly.magnitude * usual, anomaly
            companion = weekly.get(COMPANION[anomaly.metric])
            if companion is not None and anomaly.platform == "spotify":  # listeners wobble as usual
                assert abs(companion[t] / companion[t - 1] - 1) < 0.15, anomaly
            elif companion is not None:  # views keep their usual pace
                paired = np.diff(companion[lo:t + 1].astype(float))
                assert paired[-1] <= 3 * max(np.median(paired[:-1]), 1.0), anomaly
        elif anomaly.kind == "purge":
            assert values[t] / values[t - 1] <= (1 - anomaly.magnitude) * 1.13, anomaly  # with at most a week of growth
        elif anomaly.kind == "fake_streams":
            assert values[t] / values[t - 1] >= (1 + anomaly.magnitude) * 0.85, anomaly  # listeners wobble ~3 %
            assert weekly["followers"][t] - weekly["followers"][t - 1] <= 3 * max(
                np.median(np.diff(weekly["followers"][lo:t].astype(float))), 1.0), anomaly
        else:
            assert values[t] / values[t - 1] >= 8.0 and values[t + 1] / values[t] < 0.2, anomaly


def test_a_platform_purge_takes_a_few_percent_from_most_instagram_accounts_on_one_day(world):
    """A platform-wide event is ground truth too: one event, many accounts."""
    purge = world.platform_purge
    with_instagram = [a for a in world.artists if a.instagram_username]
    assert purge.platform == "instagram" and 0.4 < len(purge.losses) / len(with_instagram) < 0.7
    t = world.weeks.index(purge.week)
    for artist_id, loss in purge.losses[:20]:
        followers = world.instagram_weekly(world.artist(artist_id).instagram_username)["followers"]
        before, after = world.instagram_on(world.artist(artist_id).instagram_username, purge.day - timedelta(days=1)), \
            world.instagram_on(world.artist(artist_id).instagram_username, purge.day)
        assert after["followers"] < before["followers"] * (1 - loss / 2)
        assert followers[t] < followers[t - 1]


def test_organic_viral_weeks_lift_subscribers_and_views_together(big_world):
    """A viral week is not fraud: the audience and what it watches grow in the same week."""
    exempt = _anomalous(big_world, "youtube")
    both = alone = 0
    for channels, arrays in big_world.youtube_blocks():
        keep = [i for i, c in enumerate(channels) if c.artist_id not in exempt]
        subs, views = (arrays[m][keep].astype(float) for m in ("subscribers", "views"))
        alive = subs[:, :-1] > 1000
        sub_growth = np.where(alive, subs[:, 1:] / np.maximum(subs[:, :-1], 1), 1)
        view_growth = np.where(alive, views[:, 1:] / np.maximum(views[:, :-1], 1), 1)
        jumps = sub_growth > 1.06
        both += int((jumps & (view_growth > 1.02)).sum())
        alone += int((jumps & (view_growth < 1.005)).sum())
    assert both > 20 and alone <= both // 20


# ---- any day ----

def test_a_sunday_is_the_weekly_truth_and_today_is_the_current_value(world):
    """Daily collections must agree with the weekly history on Sundays."""
    artist = next(a for a in world.artists if a.youtube_channel_id and a.spotify_artist_id and a.instagram_username)
    weekly = world.youtube_weekly(artist.youtube_channel_id)
    sunday = world.weeks[-5]
    assert world.youtube_on(artist.youtube_channel_id, sunday)["views"] == weekly["views"][-5]
    assert world.spotify_on(artist.spotify_artist_id, sunday)["followers"] == \
        world.spotify_weekly(artist.spotify_artist_id)["followers"][-5]
    assert world.youtube_current(artist.youtube_channel_id) == world.youtube_on(artist.youtube_channel_id, TODAY)


def test_counters_climb_in_uneven_daily_steps_between_sundays(world):
    """Realistic day-to-day noise: never backwards (without an anomaly), never a straight line."""
    exempt = _anomalous(world, "youtube")
    channel = next(a.youtube_channel_id for a in world.artists if a.youtube_channel_id and a.artist_id not in exempt
                   and world.channel(a.youtube_channel_id).joined_on < date(2020, 1, 1))
    days = [world.weeks[-3] + timedelta(days=d) for d in range(8)]
    views = [world.youtube_on(channel, d)["views"] for d in days]
    steps = np.diff(views)
    assert (steps >= 0).all() and steps.max() > 1.5 * max(steps.min(), 1)


def test_a_day_outside_the_worlds_decade_is_refused(world):
    """Asking for tomorrow or before the history must fail loudly, not invent values."""
    with pytest.raises(ValueError, match="answers for"):
        world.check_day(TODAY + timedelta(days=1))


def test_the_daily_platforms_anomalies_happen_on_their_day(big_world):
    """A purchase is a step on one day, not a slope over its week."""
    anomaly = next(a for a in big_world.anomalies if a.platform == "spotify" and a.kind == "bought_followers")
    artist = big_world.artist(anomaly.artist_id)
    before = big_world.spotify_on(artist.spotify_artist_id, anomaly.day - timedelta(days=1))["followers"]
    on = big_world.spotify_on(artist.spotify_artist_id, anomaly.day)["followers"]
    assert on - before >= big_world.bought_amount(anomaly)


def test_subscribers_are_truncated_to_three_significant_figures_except_in_youniverse(world):
    """Junction checks must tolerate YouTube's public rounding, so the sandbox must apply it."""
    assert eras.round_3sf(np.array([1_239_999, 999, 45_678, 0])).tolist() == [1_230_000, 999, 45_600, 0]
    channel = next(c for c in world.channels if c.artist_id and c.joined_on < date(2015, 1, 1))
    rows = world.viewstats_weekly(channel.channel_id, date(2022, 1, 1), date(2030, 1, 1))
    assert all(r["subscriberCount"] == eras.round_3sf(r["subscriberCount"]) for r in rows)
    for snapshot in world.snapshots(channel.channel_id)[:5]:
        for day, value in world.socialblade_points(channel.channel_id, snapshot)["subscribers"]:
            assert value == eras.round_3sf(value)


# ---- junctions: the DESIGN.md rules hold except where a break was injected ----

def _older_newer(world, channel, junction):
    """(older last (date, subs, views), newer first point after it) or None when not applicable."""
    weekly = world.youtube_weekly(channel.channel_id, full_history=True)
    days = world.history_weeks
    if junction == "youniverse_socialblade":
        if channel.joined_on > date(2019, 6, 30):
            return None
        t = days.index(eras.YOUNIVERSE_LAST)
        scale = world.subscriber_scale(channel.row, "youniverse")
        older = (days[t], round(weekly["subscribers"][t] * scale), weekly["views"][t])
        newer = sorted({p for s in world.snapshots(channel.channel_id)
                        for p in _sb(world, channel, s) if p[0] > older[0]})
    elif junction == "socialblade_viewstats":
        sb = sorted({p for s in world.snapshots(channel.channel_id) for p in _sb(world, channel, s)})
        if not sb:
            return None
        older = sb[-1]
        newer = [(date.fromisoformat(r["date"]), r["subscriberCount"], r["viewCount"])
                 for r in world.viewstats_weekly(channel.channel_id, older[0] + timedelta(days=1), date(2100, 1, 1))]
    else:
        vs = world.viewstats_weekly(channel.channel_id, date(2000, 1, 1), date(2100, 1, 1))
        if not vs or channel.status != "active" or channel.hidden_subscriber_count:
            return None
        older = (date.fromisoformat(vs[-1]["date"]), vs[-1]["subscriberCount"], vs[-1]["viewCount"])
        now = world.youtube_current(channel.channel_id)
        newer = [(world.today, int(eras.round_3sf(now["subscribers"])), now["views"])]
    return (older, newer[0]) if newer else None


def _sb(world, channel, snapshot):
    points = world.socialblade_points(channel.channel_id, snapshot)
    return [(d, s, v) for (d, s), (_, v) in zip(points["subscribers"], points["views"])]


def _passes(older, newer) -> bool:
    gap = (newer[0] - older[0]).days
    days = max(gap, 1)
    subs_daily = (newer[1] / max(older[1], 1)) ** (1 / days) - 1
    views_daily = (newer[2] / max(older[2], 1)) ** (1 / days) - 1
    return gap <= 14 and abs(subs_daily) <= 0.05 and abs(views_daily) <= 0.10


def test_junctions_pass_the_rules_unless_a_break_was_injected(world):
    """Junction checks are judged on this: every failure is injected, every injection fails."""
    broken = {(b.artist_id, b.junction): b.kind for b in world.junction_breaks}
    checked = 0
    for channel in (c for c in world.channels if c.artist_id):
        for junction in ("youniverse_socialblade", "socialblade_viewstats", "viewstats_api"):
            kind = broken.get((channel.artist_id, junction))
            if kind == "split_mismatch":
                continue
            pair = _older_newer(world, channel, junction)
            if pair is None:
                assert kind is None, (channel.artist_id, junction)
                continue
            checked += 1
            assert _passes(*pair) == (kind is None), (channel.artist_id, junction, kind, pair)
    assert checked > 400


def test_viewstats_split_is_exact_except_for_injected_split_mismatches(world):
    """The longform + shorts rule must flag exactly the injected mismatches."""
    mismatched = {b.artist_id for b in world.junction_breaks if b.kind == "split_mismatch"}
    assert mismatched
    for channel in (c for c in world.channels if c.artist_id):
        for row in world.viewstats_weekly(channel.channel_id, date(2000, 1, 1), date(2100, 1, 1)):
            off = abs(row["longformViewCount"] + row["shortsViewCount"] - row["viewCount"]) / row["viewCount"]
            assert (off > 0.05) == (channel.artist_id in mismatched)


def test_about_three_percent_of_channels_break_at_each_junction(big_world):
    """Each junction check needs failures to find, but few enough to stay exceptional."""
    eligible = sum(1 for c in big_world.channels if c.artist_id)
    for junction in ("youniverse_socialblade", "socialblade_viewstats", "viewstats_api"):
        n = sum(b.junction == junction for b in big_world.junction_breaks)
        assert 0.01 < n / eligible < 0.04, junction


# ---- archived Social Blade pages ----

def test_snapshots_come_at_irregular_intervals_with_half_year_windows(world):
    """Snapshot selection is only tested if captures are irregular and overlap."""
    channel = next(c for c in world.channels if c.joined_on < date(2015, 1, 1) and not world.tweak(c.row))
    snaps = world.snapshots(channel.channel_id)
    times = [s.captured_at for s in snaps]
    gaps = {(b - a).days for a, b in zip(times, times[1:])}
    assert min(gaps) >= 3 and max(gaps) <= 36 and len(gaps) > 5
    assert all(s.window_end - s.window_start <= timedelta(weeks=25) for s in snaps)
    assert snaps[0].window_start == eras.SOCIALBLADE_FIRST
    assert all(len(s.timestamp) == 14 and s.timestamp.isdigit() for s in snaps)


def test_layouts_follow_the_eras_and_a_few_pages_are_broken(world):
    """The scrapers need every layout, and a few pages no parser understands."""
    snaps = [s for c in world.channels for s in world.snapshots(c.channel_id)]
    layouts = [s.layout for s in snaps]
    assert max(set(layouts), key=layouts.count) == "highcharts"
    assert 0.01 < layouts.count("broken") / len(layouts) < 0.03
    assert all(s.layout != "dygraphs" for s in snaps if s.captured_at.date() >= date(2020, 7, 1))


def test_channels_with_an_early_gap_have_no_early_snapshots(world):
    """A gap break means the archive really lacks the early pages."""
    gapped = [b.artist_id for b in world.junction_breaks
              if b.junction == "youniverse_socialblade" and b.kind == "gap"]
    assert gapped
    for artist_id in gapped:
        channel = world.channel(world.artist(artist_id).youtube_channel_id)
        first = min(s.window_start for s in world.snapshots(channel.channel_id))
        assert (first - eras.YOUNIVERSE_LAST).days > 14


# ---- releases ----

def test_releases_span_the_decade_and_some_are_new(world):
    """Release marts read growth against releases, old and new."""
    albums = world.albums
    assert min(a.release_on for a in albums) < date(2018, 1, 1)
    new = [a for a in albums if (world.today - a.release_on).days <= 28]
    assert len(new) >= 10
    assert any(len(a.artist_ids) > 1 for a in albums)  # features exist
    for album in albums:
        pattern = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}[album.release_date_precision]
        assert re.fullmatch(pattern, album.release_date)


def test_album_tracks_number_as_many_as_the_album_says(world):
    """Track pagination must end exactly at the album's total."""
    album = next(a for a in world.albums if a.album_type == "album")
    tracks = world.album_tracks(album.album_id)
    assert [t.track_number for t in tracks] == list(range(1, album.total_tracks + 1))
    assert world.album_tracks(album.album_id) == tracks  # drawn from the album's own stream
