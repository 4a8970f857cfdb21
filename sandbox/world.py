"""The seeded synthetic world every sandbox service and file writer serves.

`build_world(seed, n_artists, today)` is deterministic and cached. Identities
(ids, names) depend on the seed only, so the committed watchlist never goes
stale; the weekly truth is drawn in blocks of channels with numpy, each block
from its own random stream, so a 150k-channel world streams block by block
and a single channel's history costs one block.

Any day up to ``today`` can be asked for (``*_on(id, day)``): Sundays are the
weekly truth, the days between follow it with day-to-day noise (counters take
each week's growth in uneven daily steps, levels wobble), and the daily
platforms' anomalies happen on their day. The services answer as of the day a
request names (see ``sandbox.state``), so the pipeline can collect the past.

Run `python -m sandbox.world --write-watchlist` to rewrite
`sandbox/demo_artists.csv` for the default world.
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from sandbox import eras, series
from sandbox.events import (
    FAKE_STREAM_DAYS,
    InjectedAnomaly,
    InjectedJunctionBreak,
    JunctionTweak,
    PlatformPurge,
    choose_anomalies,
    choose_junction_breaks,
    choose_platform_purge,
)
from sandbox.identities import Artist, Channel, make_identities
from sandbox.releases import Album, Track, genres_for, make_albums, make_tracks
from sandbox.snapshots import Snapshot, make_snapshots

__all__ = [
    "Artist", "Channel", "InjectedAnomaly", "InjectedJunctionBreak", "PlatformPurge", "Snapshot", "World",
    "build_world", "write_watchlist",
]

TODAY_VAR = "URATED_SANDBOX_TODAY"
BLOCK_ROWS = 4096
WATCHLIST_COLUMNS = ("artist_id", "artist_name", "youtube_channel_id", "spotify_artist_id", "instagram_username")
DEMO_WATCHLIST = Path(__file__).resolve().parent / "demo_artists.csv"
YOUTUBE_METRICS = ("subscribers", "views", "videos", "longform_views", "shorts_views")
# Day-to-day noise: each day's share of its week's growth varies (log-sd), levels wobble (sd).
DAY_SHARE_SD = 0.5
LEVEL_WOBBLE_SD = 0.01
LEVEL_METRICS = ("monthly_listeners",)
PLATFORM_CODES = {"youtube": 1, "spotify": 2, "instagram": 3}
# Bought followers and botted views are this many weeks' usual gain: the median of the weeks before.
USUAL_GAIN_WEEKS = 8
# Which sources sit before each junction: a level shift scales all of them.
OLDER_SOURCES = {
    "youniverse_socialblade": ("youniverse",),
    "socialblade_viewstats": ("youniverse", "socialblade"),
    "viewstats_api": ("youniverse", "socialblade", "viewstats"),
}


@dataclass(frozen=True)
class Block:
    """The weekly truth of consecutive rows, on the full history grid."""

    start: int
    youtube: dict[str, np.ndarray]
    spotify: dict[str, np.ndarray]
    instagram: dict[str, np.ndarray]


class World:
    """Artists, channels, their weekly truth and what each source exposes of it."""

    def __init__(self, seed: int, n_artists: int, today: date):
        self.seed, self.n_artists, self.today = seed, n_artists, today
        self.weeks: list[date] = eras.week_dates(today)
        first = min(eras.YOUNIVERSE_FIRST, self.weeks[0])
        n_history = (self.weeks[-1] - first).days // 7 + 1
        # The truth starts early enough for YouNiverse (2015) even when ten
        # years before `today` is later; accessors slice it back to `weeks`.
        self.history_weeks: list[date] = [first + timedelta(weeks=i) for i in range(n_history)]
        self._offset = n_history - len(self.weeks)
        self.artists, self.channels = make_identities(seed, n_artists)
        self.extra_channels = [c for c in self.channels if c.artist_id is None]
        self.n_rows = n_artists + len(self.extra_channels)
        self._by_channel = {c.channel_id: c for c in self.channels}
        self._channel_rows = np.array([c.row for c in self.channels], dtype=np.int64)  # ascending
        self._artist_index = {a.artist_id: i for i, a in enumerate(self.artists)}
        self._by_spotify = {a.spotify_artist_id: i for i, a in enumerate(self.artists) if a.spotify_artist_id}
        self._by_username = {a.instagram_username: i for i, a in enumerate(self.artists) if a.instagram_username}
        joined = np.array([a.joined_on for a in self.artists] + [c.joined_on for c in self.extra_channels],
                          dtype="datetime64[D]")
        days = (joined - np.datetime64(first)).astype(np.int64)
        self._join_idx = -(-days // 7)  # first Sunday on or after joining
        self.anomalies: list[InjectedAnomaly] = choose_anomalies(seed, self.artists, self.weeks)
        self.platform_purge: PlatformPurge = choose_platform_purge(seed, self.artists, self.weeks, self.anomalies)
        self.junction_breaks: list[InjectedJunctionBreak]
        self.junction_breaks, self._tweaks = choose_junction_breaks(seed, self.channels, self.weeks[-1])
        # YouTube's anomalies are written into its weekly blocks; the daily platforms' apply by day.
        self._anomalies_by_row: dict[tuple[int, str], list[InjectedAnomaly]] = {}
        for anomaly in self.anomalies:
            key = (self._artist_index[anomaly.artist_id], anomaly.platform)
            self._anomalies_by_row.setdefault(key, []).append(anomaly)
        self._purge_losses = dict(self.platform_purge.losses)
        self._blocks: dict[int, Block] = {}
        self._lock = threading.Lock()

    # ---- lookups -------------------------------------------------------
    def channel(self, channel_id: str) -> Channel | None:
        return self._by_channel.get(channel_id)

    def artist(self, artist_id: str) -> Artist | None:
        i = self._artist_index.get(artist_id)
        return None if i is None else self.artists[i]

    def artist_by_spotify_id(self, spotify_id: str) -> Artist | None:
        i = self._by_spotify.get(spotify_id)
        return None if i is None else self.artists[i]

    def artist_by_instagram(self, username: str) -> Artist | None:
        i = self._by_username.get(username.lower())
        return None if i is None else self.artists[i]

    def join_index(self, rows: np.ndarray) -> np.ndarray:
        """Index on `history_weeks` of each row's first week (negative: joined before the grid)."""
        return self._join_idx[rows]

    def join_sunday(self, row: int) -> date:
        return self.history_weeks[0] + timedelta(weeks=int(max(self._join_idx[row], 0)))

    def tweak(self, row: int) -> JunctionTweak | None:
        return self._tweaks.get(row)

    # ---- weekly truth --------------------------------------------------
    def _block(self, b: int) -> Block:
        with self._lock:
            block = self._blocks.get(b)
            if block is None:
                if len(self._blocks) >= 8:
                    self._blocks.pop(next(iter(self._blocks)))
                block = self._blocks[b] = self._make_block(b)
            return block

    def _make_block(self, b: int, platforms: tuple[str, ...] = ("youtube", "spotify", "instagram")) -> Block:
        """Draw the block's truth; each platform has its own random stream, so
        the bulk writers can skip Spotify and Instagram without changing YouTube."""
        start, stop = b * BLOCK_ROWS, min((b + 1) * BLOCK_ROWS, self.n_rows)
        n, n_weeks = stop - start, len(self.history_weeks)
        join = self._join_idx[start:stop]
        # Heavy tail: median ~40k subscribers, a few channels in the tens of millions.
        sizes = np.random.default_rng([self.seed, 1, b, 0])
        subs_final = np.clip(10 ** sizes.normal(4.6, 1.0, size=n), 300, 2e8)
        data: dict[str, dict[str, np.ndarray]] = {"youtube": {}, "spotify": {}, "instagram": {}}
        if "youtube" in platforms:
            rng = np.random.default_rng([self.seed, 1, b, 1])
            views_final = subs_final * np.exp(rng.normal(np.log(150.0), 0.7, size=n))
            viral = series.viral_weeks(rng, join, n_weeks)  # a viral week lifts subscribers and views
            data["youtube"] = {
                "subscribers": series.cumulative_counter(rng, subs_final, 100.0, join, n_weeks, viral),
                "views": series.cumulative_counter(rng, views_final, 1000.0, join, n_weeks, viral),
                "videos": series.upload_counter(
                    rng, np.clip(np.exp(rng.normal(np.log(150), 1.0, size=n)), 3, 20_000), join, n_weeks),
            }
        if "spotify" in platforms:
            rng = np.random.default_rng([self.seed, 1, b, 2])
            followers_final = np.maximum(subs_final * np.exp(rng.normal(np.log(0.5), 1.0, size=n)), 100)
            viral = series.viral_weeks(rng, join, n_weeks)
            followers = series.cumulative_counter(rng, followers_final, 20.0, join, n_weeks, viral)
            listener_ratio = np.exp(rng.normal(np.log(3.0), 0.6, size=n))
            data["spotify"] = {
                "followers": followers,
                "monthly_listeners": series.viral_listeners(
                    series.noisy_level(rng, followers * listener_ratio[:, None], 0.03), viral),
            }
        if "instagram" in platforms:
            rng = np.random.default_rng([self.seed, 1, b, 3])
            ig_final = np.maximum(subs_final * np.exp(rng.normal(0.0, 1.0, size=n)), 100)
            # No viral weeks: the Graph API exposes no engagement to tell one from a purchase, so the
            # world keeps Instagram's ground truth unambiguous (a real limitation, see the README).
            no_viral = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
            data["instagram"] = {
                "followers": series.cumulative_counter(rng, ig_final, 20.0, join, n_weeks, no_viral),
                "media": series.upload_counter(
                    rng, np.clip(np.exp(rng.normal(np.log(300), 0.8, size=n)), 5, 10_000), join, n_weeks),
            }
        jumps = []
        yt = data["youtube"]
        for row in range(start, min(stop, self.n_artists)) if yt else ():
            for anomaly in self._anomalies_by_row.get((row, "youtube"), ()):
                t = self._offset + self.weeks.index(anomaly.week)
                if anomaly.kind == "impossible_value":
                    jumps.append((row - start, t, anomaly.metric))
                else:
                    _apply_weekly_anomaly(yt, anomaly, row - start, t)
        if yt:
            split_rng = np.random.default_rng([self.seed, 1, b, 4])
            longform, shorts = series.shorts_split(split_rng, yt["views"], self._week_index(eras.SHORTS_FIRST))
        for i, t, metric in jumps:
            yt[metric][i, t] = yt[metric][i, t] * 10
        if yt:
            # Shorts are untouched by a views jump, so longform takes it and the sum still holds.
            yt.update(longform_views=yt["views"] - shorts, shorts_views=shorts)
        return Block(start, data["youtube"], data["spotify"], data["instagram"])

    def _week_index(self, day: date) -> int:
        """Index on the history grid of the first Sunday on or after ``day``."""
        return -(-(day - self.history_weeks[0]).days // 7)

    def _row_arrays(self, row: int, platform: str, full_history: bool) -> dict[str, np.ndarray]:
        block = self._block(row // BLOCK_ROWS)
        i = row - block.start
        data = getattr(block, platform)
        lo = 0 if full_history else self._offset
        return {k: v[i, lo:].copy() for k, v in data.items()}

    def youtube_weekly(self, channel_id: str, full_history: bool = False) -> dict[str, np.ndarray]:
        """Exact weekly truth aligned on `weeks` (or `history_weeks`); zeros before joining."""
        return self._row_arrays(self._by_channel[channel_id].row, "youtube", full_history)

    def spotify_weekly(self, spotify_id: str) -> dict[str, np.ndarray]:
        """followers, monthly_listeners, popularity aligned on `weeks` (anomalies included)."""
        row = self._by_spotify[spotify_id]
        return self._with_popularity(self._with_daily_events(row, "spotify", self._row_arrays(row, "spotify", False),
                                                             np.array(self.weeks, dtype="datetime64[D]")))

    def instagram_weekly(self, username: str) -> dict[str, np.ndarray]:
        """followers, media aligned on `weeks` (anomalies and the platform purge included)."""
        row = self._by_username[username.lower()]
        return self._with_daily_events(row, "instagram", self._row_arrays(row, "instagram", False),
                                       np.array(self.weeks, dtype="datetime64[D]"))

    def youtube_blocks(self, full_history: bool = False) -> Iterator[tuple[list[Channel], dict[str, np.ndarray]]]:
        """Every YouTube channel's truth, a block at a time (for bulk writers).

        Yields the block's channels and arrays of shape (len(channels), weeks);
        blocks are not kept in the cache, so memory stays flat at any scale.
        """
        lo = 0 if full_history else self._offset
        for b in range(-(-self.n_rows // BLOCK_ROWS)):
            block = self._blocks.get(b) or self._make_block(b, ("youtube",))
            lo_c, hi_c = np.searchsorted(self._channel_rows, [block.start, block.start + BLOCK_ROWS])
            rows = self.channels[lo_c:hi_c]
            idx = np.array([c.row - block.start for c in rows], dtype=np.int64)
            yield rows, {k: v[idx, lo:] for k, v in block.youtube.items()}

    # ---- values on a day ------------------------------------------------
    def check_day(self, day: date) -> date:
        """``day`` if the world can answer for it (its ten years up to today), else a ValueError."""
        if not self.weeks[0] <= day <= self.today:
            raise ValueError(f"the world answers for {self.weeks[0]} .. {self.today}, not {day}")
        return day

    def _day_shares(self, row: int, platform: str, week: int) -> np.ndarray:
        """Cumulative share of week ``week``'s growth reached on each of its 7 days (1.0 on Sunday)."""
        rng = np.random.default_rng([self.seed, 9, PLATFORM_CODES[platform], row, week])
        steps = np.exp(rng.normal(0.0, DAY_SHARE_SD, size=7))
        return np.cumsum(steps) / steps.sum()

    def _wobble(self, row: int, platform: str, day: date) -> float:
        rng = np.random.default_rng([self.seed, 10, PLATFORM_CODES[platform], row, day.toordinal()])
        return float(np.exp(rng.normal(0.0, LEVEL_WOBBLE_SD)))

    def _on(self, row: int, platform: str, weekly: dict[str, np.ndarray], day: date) -> dict[str, int]:
        """Each metric on ``day``: the Sunday's truth, or the way from one Sunday to the next.

        A counter reaches the next Sunday in uneven daily steps; after the last Sunday it goes on
        at the last week's pace. A level (monthly listeners) moves in a line and wobbles daily.
        """
        sunday = eras.last_sunday(self.check_day(day))
        k, j = (sunday - self.weeks[0]).days // 7, (day - sunday).days
        shares = self._day_shares(row, platform, k + 1) if j else None
        out = {}
        for metric, v in weekly.items():
            now, after = float(v[k]), (float(v[k + 1]) if k + 1 < len(v) else None)
            if not j:
                out[metric] = int(now)
            elif metric in LEVEL_METRICS:
                step = (after - now) * j / 7 if after is not None else 0.0
                out[metric] = int(round((now + step) * self._wobble(row, platform, day)))
            else:
                change = after - now if after is not None else max(now - float(v[k - 1]), 0.0)
                out[metric] = int(now + round(shares[j - 1] * change))
        return out

    def youtube_on(self, channel_id: str, day: date) -> dict[str, int]:
        """subscribers (exact, before rounding), views and videos on ``day``."""
        row = self._by_channel[channel_id].row
        weekly = self.youtube_weekly(channel_id)
        return self._on(row, "youtube", {k: weekly[k] for k in ("subscribers", "views", "videos")}, day)

    def spotify_on(self, spotify_id: str, day: date) -> dict:
        """name, followers, monthly_listeners, popularity and genres on ``day``."""
        row = self._by_spotify[spotify_id]
        organic = self._row_arrays(row, "spotify", False)
        values = self._with_daily_events(row, "spotify", self._on(row, "spotify", organic, day),
                                         np.datetime64(day, "D"))
        listeners = int(values["monthly_listeners"])
        return {
            "name": self.artists[row].artist_name,
            "followers": int(values["followers"]),
            "monthly_listeners": listeners,
            "popularity": int(series.popularity_from_listeners(np.array([listeners]))[0]),
            "genres": genres_for(self.seed, row),
        }

    def instagram_on(self, username: str, day: date) -> dict[str, int]:
        """followers and media on ``day``."""
        row = self._by_username[username.lower()]
        values = self._with_daily_events(row, "instagram",
                                         self._on(row, "instagram", self._row_arrays(row, "instagram", False), day),
                                         np.datetime64(day, "D"))
        return {k: int(v) for k, v in values.items()}

    def youtube_current(self, channel_id: str) -> dict[str, int]:
        return self.youtube_on(channel_id, self.today)

    def spotify_current(self, spotify_id: str) -> dict:
        return self.spotify_on(spotify_id, self.today)

    def instagram_current(self, username: str) -> dict[str, int]:
        return self.instagram_on(username, self.today)

    # ---- the daily platforms' anomalies ------------------------------------
    @staticmethod
    def _with_popularity(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {**values, "popularity": series.popularity_from_listeners(values["monthly_listeners"])}

    @functools.lru_cache(maxsize=4096)
    def bought_amount(self, anomaly: InjectedAnomaly) -> int:
        """Followers bought: ``magnitude`` times the usual weekly gain of the weeks before."""
        row = self._artist_index[anomaly.artist_id]
        values = self._row_arrays(row, anomaly.platform, False)[anomaly.metric]
        t = self.weeks.index(anomaly.week)
        return int(round(anomaly.magnitude * _usual_gain(values, t)))

    def _with_daily_events(self, row: int, platform: str, values: dict, days: np.ndarray) -> dict:
        """``values`` on ``days`` (arrays or scalars) with the platform's anomalies of ``row`` applied."""
        out = {k: np.asarray(v, dtype=np.int64).copy() for k, v in values.items()}
        for anomaly in self._anomalies_by_row.get((row, platform), ()):
            target, since = out[anomaly.metric], days >= np.datetime64(anomaly.day)
            if anomaly.kind == "bought_followers":
                target += np.where(since, self.bought_amount(anomaly), 0)
            elif anomaly.kind == "purge":
                target[...] = np.where(since, np.rint(target * (1 - anomaly.magnitude)), target)
            elif anomaly.kind == "fake_streams":
                burst = since & (days < np.datetime64(anomaly.day + timedelta(days=FAKE_STREAM_DAYS)))
                target[...] = np.where(burst, np.rint(target * (1 + anomaly.magnitude)), target)
        loss = self._purge_losses.get(self.artists[row].artist_id) if platform == self.platform_purge.platform else None
        if loss:
            target = out[self.platform_purge.metric]
            since = days >= np.datetime64(self.platform_purge.day)
            target[...] = np.where(since, np.rint(target * (1 - loss)), target)
        return out

    # ---- releases ------------------------------------------------------
    @functools.cached_property
    def albums(self) -> list[Album]:
        return make_albums(self.seed, self.artists, self.weeks[0], self.today)

    @functools.cached_property
    def _album_index(self) -> dict[str, int]:
        return {a.album_id: i for i, a in enumerate(self.albums)}

    def album(self, album_id: str) -> Album | None:
        i = self._album_index.get(album_id)
        return None if i is None else self.albums[i]

    def album_tracks(self, album_id: str) -> list[Track]:
        i = self._album_index[album_id]
        return make_tracks(self.seed, self.albums[i], i)

    # ---- what each history source exposes --------------------------------
    def subscriber_scale(self, row: int, source: str) -> float:
        """1 / factor when a level shift sits after ``source``; otherwise 1."""
        tweak = self._tweaks.get(row)
        if tweak and tweak.kind == "level_shift" and source in OLDER_SOURCES[tweak.junction]:
            return 1.0 / tweak.factor
        return 1.0

    def exposed_subscribers(self, row: int, source: str, values: np.ndarray, days: list[date]) -> np.ndarray:
        """Subscribers as ``source`` shows them: level-shifted if broken, truncated to 3 s.f. since 2019-09."""
        scaled = np.rint(np.asarray(values, dtype=np.float64) * self.subscriber_scale(row, source)).astype(np.int64)
        if source == "youniverse":
            return scaled
        recent = np.array([d >= eras.ROUNDING_FROM for d in days], dtype=bool)
        return np.where(recent, eras.round_3sf(scaled), scaled)

    def socialblade_range(self, row: int) -> tuple[date, date]:
        start = max(eras.SOCIALBLADE_FIRST, self.join_sunday(row))
        end = min(eras.SOCIALBLADE_LAST, self.weeks[-1])
        tweak = self._tweaks.get(row)
        if tweak and tweak.kind == "gap" and tweak.junction == "youniverse_socialblade":
            start = max(start, tweak.cutoff)
        if tweak and tweak.kind == "gap" and tweak.junction == "socialblade_viewstats":
            end = min(end, tweak.cutoff)
        return start, end

    def viewstats_range(self, row: int) -> tuple[date, date]:
        start = max(eras.VIEWSTATS_FIRST, self.join_sunday(row))
        end = self.weeks[-1]
        tweak = self._tweaks.get(row)
        if tweak and tweak.kind == "gap" and tweak.junction == "viewstats_api":
            end = min(end, tweak.cutoff)
        return start, end

    @functools.lru_cache(maxsize=4096)
    def snapshots(self, channel_id: str) -> list[Snapshot]:
        """Archived Social Blade captures of the channel, oldest first (no duplicates)."""
        row = self._by_channel[channel_id].row
        return make_snapshots(self.seed, row, *self.socialblade_range(row))

    def socialblade_points(self, channel_id: str, snapshot: Snapshot) -> dict[str, list[tuple[date, int]]]:
        """The weekly chart points of one capture (subscribers as Social Blade showed them)."""
        channel = self._by_channel[channel_id]
        weekly = self.youtube_weekly(channel_id, full_history=True)
        lo = (snapshot.window_start - self.history_weeks[0]).days // 7
        hi = (snapshot.window_end - self.history_weeks[0]).days // 7 + 1
        days = self.history_weeks[lo:hi]
        subs = self.exposed_subscribers(channel.row, "socialblade", weekly["subscribers"][lo:hi], days)
        return {
            "subscribers": list(zip(days, subs.tolist())),
            "views": list(zip(days, weekly["views"][lo:hi].tolist())),
        }

    def viewstats_weekly(self, channel_id: str, start: date, end: date) -> list[dict]:
        """ViewStats rows between two dates, within what ViewStats covers for the channel."""
        channel = self._by_channel[channel_id]
        first, last = self.viewstats_range(channel.row)
        first, last = max(first, start), min(last, end)
        if first > last:
            return []
        lo = -(-(first - self.history_weeks[0]).days // 7)
        hi = (last - self.history_weeks[0]).days // 7 + 1
        weekly = self.youtube_weekly(channel_id, full_history=True)
        days = self.history_weeks[lo:hi]
        subs = self.exposed_subscribers(channel.row, "viewstats", weekly["subscribers"][lo:hi], days)
        shorts = weekly["shorts_views"][lo:hi].copy()
        tweak = self._tweaks.get(channel.row)
        if tweak and tweak.kind == "split_mismatch":
            shorts = shorts + np.rint(weekly["views"][lo:hi] * tweak.factor).astype(np.int64)
        return [
            {"date": d.isoformat(), "subscriberCount": int(s), "viewCount": int(v),
             "longformViewCount": int(lf), "shortsViewCount": int(sh)}
            for d, s, v, lf, sh in zip(days, subs, weekly["views"][lo:hi], weekly["longform_views"][lo:hi], shorts)
        ]


def _usual_gain(values: np.ndarray, t: int) -> float:
    """The median weekly gain of the USUAL_GAIN_WEEKS weeks before week ``t`` (at least 1)."""
    gains = np.diff(values[max(t - USUAL_GAIN_WEEKS - 1, 0): t].astype(np.float64))
    return max(float(np.median(gains)) if len(gains) else 0.0, 1.0)


def _apply_weekly_anomaly(target: dict[str, np.ndarray], anomaly: InjectedAnomaly, i: int, t: int) -> None:
    """Bought followers, botted views and purges change the level for good from week ``t``.

    Bought followers and botted views add ``magnitude`` weeks of the usual gain and nothing else:
    the paired metric keeps its pace (bought subscribers watch nothing). A purge removes a share
    of the audience the week it happens.
    """
    values = target[anomaly.metric]
    if anomaly.kind in ("bought_followers", "botted_views"):
        values[i, t:] += int(round(anomaly.magnitude * _usual_gain(values[i], t)))
    else:
        before = int(values[i, t - 1])
        factor = before * (1 - anomaly.magnitude) / max(int(values[i, t]), 1)
        values[i, t:] = np.rint(values[i, t:] * factor).astype(np.int64)


def _default_today() -> date:
    text = os.environ.get(TODAY_VAR, "").strip()
    return date.fromisoformat(text) if text else datetime.now(timezone.utc).date()


def build_world(seed: int = 42, n_artists: int = 300, today: date | None = None) -> World:
    """The world for a seed, a size and a day; identical arguments give the same object."""
    return _build(seed, n_artists, today or _default_today())


@functools.cache
def _build(seed: int, n_artists: int, today: date) -> World:
    return World(seed, n_artists, today)


def watchlist_rows(world: World) -> list[dict[str, str]]:
    return [
        {"artist_id": a.artist_id, "artist_name": a.artist_name, "youtube_channel_id": a.youtube_channel_id or "",
         "spotify_artist_id": a.spotify_artist_id or "", "instagram_username": a.instagram_username or ""}
        for a in world.artists
    ]


def write_watchlist(world: World, path: Path = DEMO_WATCHLIST) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=WATCHLIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(watchlist_rows(world))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Inspect or export the sandbox world.")
    parser.add_argument("--write-watchlist", action="store_true", help=f"rewrite {DEMO_WATCHLIST.name}")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--artists", type=int, default=300)
    args = parser.parse_args(argv)
    world = build_world(args.seed, args.artists)
    if args.write_watchlist:
        print(f"wrote {write_watchlist(world)} ({len(world.artists)} artists)")
    else:
        print(f"{len(world.artists)} artists, {len(world.channels)} channels, {len(world.weeks)} weeks "
              f"({world.weeks[0]} .. {world.weeks[-1]}), {len(world.anomalies)} anomalies, "
              f"{len(world.junction_breaks)} junction breaks")


if __name__ == "__main__":
    main()
