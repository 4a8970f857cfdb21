"""Ground truth the pipeline must find: injected anomalies and junction breaks.

Chosen once per world from their own random stream, then applied to the
weekly truth (anomalies) or to what a source exposes (junction breaks), so
tests can check that detectors and junction checks flag exactly these.
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


@dataclass(frozen=True)
class InjectedAnomaly:
    artist_id: str
    platform: str  # youtube | spotify | instagram
    metric: str  # subscribers | followers | views | monthly_listeners
    week: date  # the Sunday ending the anomalous week
    kind: str  # bought_spike | purge | impossible_jump
    magnitude: float  # +1.0..+5.0 for spikes, 0.2..0.5 drop for purges, 10.0 for jumps


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


def choose_anomalies(seed: int, artists: list[Artist], weeks: list[date]) -> list[InjectedAnomaly]:
    """About 5 % of artists get one to three anomalies, on YouTube whenever they have a channel.

    Only YouTube has weekly history in the pipeline (the Spotify and Instagram APIs give today's
    value only), so an anomaly elsewhere in a past week can never be observed: Spotify and
    Instagram get anomalies only for artists without a channel, and the quality test leaves
    those out. Several anomalies per artist, at least MIN_WEEKS_APART apart, give a small test
    world enough observable cases to measure precision and recall.
    """
    rng = np.random.default_rng([seed, 2])
    quiet = _quiet_weeks(weeks)
    n_weeks = len(weeks)
    week_days = np.array(weeks, dtype="datetime64[D]")
    chosen = np.flatnonzero(rng.random(len(artists)) < SHARE_ANOMALOUS_ARTISTS)
    out = []
    for i in chosen.tolist():
        artist = artists[i]
        if artist.youtube_channel_id:
            platforms = ["youtube"]
        else:
            platforms = [p for p, has in (("spotify", artist.spotify_artist_id),
                                          ("instagram", artist.instagram_username)) if has]
        if not platforms:
            continue
        join = np.datetime64(artist.joined_on)
        eligible = quiet & (week_days >= join + np.timedelta64(8 * 7, "D"))
        taken: list[int] = []
        found: list[InjectedAnomaly] = []
        for _ in range(int(rng.integers(1, MAX_ANOMALIES_PER_ARTIST + 1))):
            platform = platforms[rng.integers(len(platforms))]
            kinds = ("bought_spike", "purge") if platform == "instagram" else ("bought_spike", "purge", "impossible_jump")
            kind = kinds[rng.integers(len(kinds))]
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
            if kind == "impossible_jump":
                metric = "views" if platform == "youtube" else "monthly_listeners"
                magnitude = 10.0
            else:
                metric = "subscribers" if platform == "youtube" else "followers"
                magnitude = round(float(rng.uniform(1.0, 5.0) if kind == "bought_spike" else rng.uniform(0.2, 0.5)), 3)
            found.append(InjectedAnomaly(artist.artist_id, platform, metric, weeks[t], kind, magnitude))
        # In week order: a level change applies from its week on, so a later one never blurs an earlier one.
        out.extend(sorted(found, key=lambda a: a.week))
    return out


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
