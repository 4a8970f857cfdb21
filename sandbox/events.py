"""Ground truth the pipeline must find: injected anomalies, a platform purge and junction breaks.

Chosen once per world from their own random stream, then applied to the
truth (anomalies: YouTube's weekly history, the daily platforms' days) or to
what a source exposes (junction breaks), so tests can check that detectors
and junction checks flag exactly these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from sandbox import eras
from sandbox.identities import Artist, Channel

SHARE_ANOMALOUS_ARTISTS = 0.05
SHARE_RECENT_ANOMALIES = 0.4
MAX_ANOMALIES_PER_ARTIST = 3
MIN_WEEKS_APART = 8
SHARE_BROKEN_PER_JUNCTION = 0.03
JUNCTIONS = ("youniverse_socialblade", "socialblade_viewstats", "viewstats_api")
# Spotify and Instagram keep no history: the pipeline sees only the days it collected (the demo
# collects the last 8 weeks), so their anomalies end one of the 4 weeks before the last Sunday,
# each after a few collected weeks that show the artist's usual growth.
DAILY_WINDOW_WEEKS = 4
DAILY_PLATFORMS = ("spotify", "instagram")
# What each platform's fraud looks like, as the industry reports it (the kinds of fct_anomalies).
KINDS = {
    "youtube": ("bought_followers", "botted_views", "purge", "impossible_value"),
    "spotify": ("bought_followers", "fake_streams", "purge"),
    "instagram": ("bought_followers", "purge"),
}
METRIC = {
    ("youtube", "bought_followers"): "subscribers", ("youtube", "purge"): "subscribers",
    ("youtube", "botted_views"): "views", ("youtube", "impossible_value"): "views",
    ("spotify", "bought_followers"): "followers", ("spotify", "purge"): "followers",
    ("spotify", "fake_streams"): "monthly_listeners",
    ("instagram", "bought_followers"): "followers", ("instagram", "purge"): "followers",
}
# Sizes: bought followers and botted views are multiples of the series' usual weekly gain (real
# purchases are 6-20x it, a few percent of the account); a purge is the share of the audience
# removed; fake streams the share added to monthly listeners for the 28 days they count.
MAGNITUDES = {
    "bought_followers": (6.0, 20.0), "botted_views": (8.0, 20.0), "purge": (0.08, 0.30),
    "fake_streams": (0.4, 1.5), "impossible_value": (10.0, 10.0),
}
FAKE_STREAM_DAYS = 28  # monthly listeners count a listener for 28 days
PLATFORM_PURGE_SHARE = 0.6  # of the platform's accounts, each losing 3-10 % on one day
PLATFORM_PURGE_LOSS = (0.03, 0.10)


@dataclass(frozen=True)
class InjectedAnomaly:
    artist_id: str
    platform: str  # youtube | spotify | instagram
    metric: str  # subscribers | followers | views | monthly_listeners
    week: date  # the Sunday ending the anomalous week
    kind: str  # bought_followers | botted_views | purge | fake_streams | impossible_value
    magnitude: float  # see MAGNITUDES
    day: date | None = None  # the day it happens (daily platforms); YouTube's history is weekly


@dataclass(frozen=True)
class PlatformPurge:
    """A platform removing fake accounts from a large share of its accounts on one day."""

    platform: str
    metric: str
    week: date  # the Sunday ending the week it happens in
    day: date
    losses: tuple[tuple[str, float], ...]  # (artist_id, share of followers removed)

    @property
    def kind(self) -> str:
        return "platform_purge"


@dataclass(frozen=True)
class InjectedJunctionBreak:
    artist_id: str
    junction: str
    kind: str  # gap | level_shift | split_mismatch


@dataclass(frozen=True)
class JunctionTweak:
    """How a break is produced: what the exposed data of one channel looks like."""

    row: int
    junction: str
    kind: str
    factor: float  # level_shift: older sources show subscribers / factor; split: shorts excess share
    cutoff: date | None  # gap: first (youniverse_socialblade) or last date the source exposes


def _quiet_weeks(weeks: list[date]) -> np.ndarray:
    """Weeks where an anomaly would not sit on top of a junction."""
    w = np.array(weeks, dtype="datetime64[D]")
    ok = np.ones(len(weeks), dtype=bool)
    for junction_day in (eras.YOUNIVERSE_LAST, eras.SOCIALBLADE_FIRST, eras.VIEWSTATS_FIRST, eras.SOCIALBLADE_LAST):
        ok &= np.abs((w - np.datetime64(junction_day)).astype(int)) > 28
    ok[-4:] = False
    return ok


def daily_window(weeks: list[date]) -> list[date]:
    """The Sundays a daily platform's anomaly may end on (see DAILY_WINDOW_WEEKS)."""
    return weeks[-1 - DAILY_WINDOW_WEEKS:-1]


def platform_purge_week(weeks: list[date]) -> date:
    """The week Instagram's platform purge happens in: the collected window's middle one."""
    window = daily_window(weeks)
    return window[len(window) // 2]


def choose_anomalies(seed: int, artists: list[Artist], weeks: list[date]) -> list[InjectedAnomaly]:
    """About 5 % of artists get one to three anomalies, each on one of their platforms.

    YouTube's weekly history spans ten years, so its anomalies may sit in any quiet week (40 %
    in the last year); the daily platforms' fall in their collected window (``daily_window``),
    at most one per platform and artist, on a day of that week. Several anomalies per artist,
    at least MIN_WEEKS_APART apart on YouTube, give a small test world enough cases to measure
    precision and recall.
    """
    rng = np.random.default_rng([seed, 2])
    quiet = _quiet_weeks(weeks)
    n_weeks = len(weeks)
    week_days = np.array(weeks, dtype="datetime64[D]")
    window = daily_window(weeks)
    chosen = np.flatnonzero(rng.random(len(artists)) < SHARE_ANOMALOUS_ARTISTS)
    out = []
    for i in chosen.tolist():
        artist = artists[i]
        platforms = [p for p, has in (("youtube", artist.youtube_channel_id), ("spotify", artist.spotify_artist_id),
                                      ("instagram", artist.instagram_username)) if has]
        if not platforms:
            continue
        join = np.datetime64(artist.joined_on)
        eligible = quiet & (week_days >= join + np.timedelta64(8 * 7, "D"))
        taken: list[int] = []
        found: list[InjectedAnomaly] = []
        for _ in range(int(rng.integers(1, MAX_ANOMALIES_PER_ARTIST + 1))):
            platform = platforms[rng.integers(len(platforms))]
            kinds = KINDS[platform]
            kind = kinds[rng.integers(len(kinds))]
            low, high = MAGNITUDES[kind]
            magnitude = round(float(rng.uniform(low, high)), 3)
            if platform in DAILY_PLATFORMS:
                if any(a.platform == platform for a in found) or artist.joined_on > window[0] - timedelta(weeks=8):
                    continue
                week = window[int(rng.integers(len(window)))]
                day = week - timedelta(days=int(rng.integers(0, 7)))
                if platform == "instagram" and week == platform_purge_week(weeks):
                    continue  # an account's own purge inside the platform's would be indistinguishable
                found.append(InjectedAnomaly(artist.artist_id, platform, METRIC[platform, kind], week, kind,
                                             magnitude, day))
                continue
            free = eligible.copy()
            for t in taken:
                free[max(t - MIN_WEEKS_APART, 0): t + MIN_WEEKS_APART + 1] = False
            if rng.random() < SHARE_RECENT_ANOMALIES:
                recent = free.copy()
                recent[: n_weeks - 52] = False
                if recent.any():
                    free = recent
            candidates = np.flatnonzero(free)
            if len(candidates) == 0:
                continue
            t = int(candidates[rng.integers(len(candidates))])
            taken.append(t)
            found.append(InjectedAnomaly(artist.artist_id, platform, METRIC[platform, kind], weeks[t], kind, magnitude))
        # In week order: a level change applies from its week on, so a later one never blurs an earlier one.
        out.extend(sorted(found, key=lambda a: (a.week, a.platform)))
    return out


def choose_platform_purge(seed: int, artists: list[Artist], weeks: list[date],
                          anomalies: list[InjectedAnomaly]) -> PlatformPurge:
    """Instagram removes fake followers from most accounts on one day of the collected window.

    The industry's best-known case (Instagram's purges of inactive and bought accounts): one day,
    a majority of accounts lose a few percent. The week is the window's middle one, where no
    account has an Instagram anomaly of its own; accounts with one are left out too, so every
    injected case stays unambiguous.
    """
    rng = np.random.default_rng([seed, 4])
    week = platform_purge_week(weeks)
    day = week - timedelta(days=int(rng.integers(0, 7)))
    own = {a.artist_id for a in anomalies if a.platform == "instagram"}
    low, high = PLATFORM_PURGE_LOSS
    losses = []
    for artist in artists:
        hit, loss = rng.random() < PLATFORM_PURGE_SHARE, round(float(rng.uniform(low, high)), 3)
        if artist.instagram_username and artist.artist_id not in own and hit:
            losses.append((artist.artist_id, loss))
    return PlatformPurge("instagram", "followers", week, day, tuple(losses))


def choose_junction_breaks(
    seed: int, channels: list[Channel], today_sunday: date
) -> tuple[list[InjectedJunctionBreak], dict[int, JunctionTweak]]:
    """About 3 % of eligible watchlist channels per junction, one break per channel."""
    rng = np.random.default_rng([seed, 3])
    eligible_until = {
        "youniverse_socialblade": date(2019, 6, 30),
        "socialblade_viewstats": date(2022, 3, 1),
        "viewstats_api": today_sunday - timedelta(days=365),
    }
    kinds_by_junction = {
        "youniverse_socialblade": ("gap", "level_shift"),
        "socialblade_viewstats": ("gap", "level_shift", "split_mismatch"),
        "viewstats_api": ("gap", "level_shift"),
    }
    tweaks: dict[int, JunctionTweak] = {}
    draws = rng.random((len(JUNCTIONS), len(channels)))
    for j, junction in enumerate(JUNCTIONS):
        for c, channel in enumerate(channels):
            if draws[j, c] >= SHARE_BROKEN_PER_JUNCTION or channel.artist_id is None or channel.row in tweaks:
                continue
            if channel.joined_on > eligible_until[junction] or channel.status != "active":
                continue
            if channel.hidden_subscriber_count and junction == "viewstats_api":
                continue
            kinds = kinds_by_junction[junction]
            kind = kinds[int(rng.integers(len(kinds)))]
            factor, cutoff = 1.0, None
            if kind == "level_shift":
                # Above 2x the implied growth beats 5 %/day even over a 14-day gap.
                factor = round(float(rng.uniform(2.5, 4.0)), 3)
            elif kind == "split_mismatch":
                factor = round(float(rng.uniform(0.08, 0.3)), 3)
            else:
                gap = timedelta(days=int(rng.integers(21, 71)))
                cutoff = {
                    "youniverse_socialblade": eras.YOUNIVERSE_LAST + gap,
                    "socialblade_viewstats": eras.VIEWSTATS_FIRST - gap,
                    "viewstats_api": today_sunday - gap,
                }[junction]
            tweaks[channel.row] = JunctionTweak(channel.row, junction, kind, factor, cutoff)
    by_row = {ch.row: ch for ch in channels}
    breaks = [InjectedJunctionBreak(by_row[t.row].artist_id, t.junction, t.kind) for t in tweaks.values()]
    return breaks, tweaks
