"""The real series the evaluation runs on, read from the test fixtures (see their PROVENANCE.md).

- Social Blade weekly gains of four YouTube channels (2019-06 .. 2022-05), rebuilt into weekly
  levels. After 2019-09 YouTube shows subscribers to 3 significant figures, so the gains are
  whole steps; the levels keep that: they start from an anchor that is a multiple of the step.
  The anchors are the only numbers not in the data. MKBHD's comes from it (its steps turn from
  10,000 to 100,000 the week it passes 10 M); the others are approximate public counts. Gains,
  and so every size measured in usual gains, do not depend on them; percentages do.
- Daily Spotify followers and monthly listeners of one artist over 352 days.
- Daily YouTube API snapshots of 227 channels over 30 days, as the daily collection stores them.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from urated.settings import PROJECT_ROOT

REALDATA = PROJECT_ROOT / "tests" / "fixtures" / "realdata"
SOCIALBLADE = {  # name: (title, anchor day, subscribers that day, views that day)
    "pewdiepie": ("PewDiePie", date(2019, 9, 22), 101_000_000, 23_000_000_000),
    "mkbhd": ("Marques Brownlee", date(2019, 12, 29), 10_000_000, 1_900_000_000),
    "h3h3productions": ("h3h3Productions", date(2019, 9, 22), 6_500_000, 1_300_000_000),
    "jennamarbles": ("Jenna Marbles", date(2019, 9, 22), 19_800_000, 2_900_000_000),
}
SPOTIFY_FILE = "artist_metrics/bullanalytics_bartees_strange_spotify_daily_chartmetric.csv"
MFTN_FILE = "youtube/mftn_youtube_daily_snapshots_2026-01-17_to_2026-02-15.csv"


@dataclass
class Series:
    """One account's real history: days (Sundays for weekly series) and one array per metric."""

    key: str  # a YouTube channel id (UC…, 24 characters) or a Spotify artist id (22 characters)
    platform: str
    title: str
    origin: str  # which real file it comes from
    days: np.ndarray  # datetime64[D], ascending
    metrics: dict[str, np.ndarray] = field(default_factory=dict)  # float64 values aligned on days
    base: str = ""  # the real series a copy was made from ("" for the real series itself)
    rounded: dict[str, np.ndarray] = field(default_factory=dict)  # days the platform rounded each metric on

    @property
    def is_weekly(self) -> bool:
        return bool((np.diff(self.days) == np.timedelta64(7, "D")).all())

    def copy(self, key: str) -> Series:
        return Series(key, self.platform, self.title, self.origin, self.days.copy(),
                      {m: v.copy() for m, v in self.metrics.items()}, self.base or self.key,
                      {m: v.copy() for m, v in self.rounded.items()})

    def __post_init__(self) -> None:
        # Subscribers are rounded as published from the day their counts are whole 3-significant-figure
        # steps for good (YouTube since 2019-09); nothing else is rounded.
        for metric, values in self.metrics.items():
            if metric not in self.rounded:
                whole = is_whole_step(values) if metric == "subscribers" else np.zeros(len(values), dtype=bool)
                self.rounded[metric] = np.cumsum(~whole[::-1])[::-1] == 0


def rounding_step(values: np.ndarray) -> np.ndarray:
    """One 3-significant-figure step of each value (0 below 1,000, where counts are exact)."""
    safe = np.maximum(np.abs(values), 1.0)
    return np.where(safe >= 1000, 10.0 ** (np.floor(np.log10(safe)) - 2), 0.0)


def is_whole_step(values: np.ndarray) -> np.ndarray:
    """Values that are whole multiples of their step: what a count published to 3 significant figures is."""
    step = rounding_step(values)
    return (step >= 10) & (np.mod(values, np.where(step > 0, step, 1)) == 0)


def fixture(relative: str) -> Path:
    path = REALDATA / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the evaluation reads the real series shipped with the tests")
    return path


def channel_id(*parts: str) -> str:
    """A stable id shaped like a YouTube channel id, for a series and its copies."""
    digest = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return "UC" + digest[:22]


def spotify_id(*parts: str) -> str:
    """A stable id shaped like a Spotify artist id (22 characters)."""
    return hashlib.sha1("/".join(parts).encode()).hexdigest()[:22]


def socialblade_series(name: str) -> Series:
    """A channel's weekly subscribers and views rebuilt from its Social Blade gains."""
    title, anchor_day, anchor_subs, anchor_views = SOCIALBLADE[name]
    with open(fixture(f"socialblade/yixlu_{name}.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if date.fromisoformat(r["end_date"]).weekday() == 6]
    days = np.array([r["end_date"] for r in rows], dtype="datetime64[D]")
    gains = {"subscribers": np.array([float(r["weekly_subscribers"]) for r in rows]),
             "views": np.array([float(r["weekly_views"]) for r in rows])}
    anchor = int(np.flatnonzero(days == np.datetime64(anchor_day))[0])
    metrics = {}
    for metric, level in (("subscribers", anchor_subs), ("views", anchor_views)):
        total = np.cumsum(gains[metric])  # level[t] = level[anchor] + total[t] - total[anchor]
        metrics[metric] = level + total - total[anchor]
    return Series(channel_id("socialblade", name), "youtube", title, f"socialblade/yixlu_{name}.csv", days, metrics)


def spotify_series() -> Series:
    """Daily Spotify followers and monthly listeners of Bartees Strange."""
    with open(fixture(SPOTIFY_FILE), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Series(spotify_id("bartees_strange"), "spotify", "Bartees Strange", SPOTIFY_FILE,
                  np.array([r["ftimestp"] for r in rows], dtype="datetime64[D]"),
                  {"followers": np.array([float(r["spfollowers"]) for r in rows]),
                   "monthly_listeners": np.array([float(r["splisteners"]) for r in rows])})


def mftn_series(min_days: int = 20) -> list[Series]:
    """The channels of the daily YouTube snapshots collected on at least ``min_days`` of the 30 days.

    Four weeks of growth are the least a week can be judged against (three others).
    """
    by_channel: dict[str, list[dict]] = {}
    with open(fixture(MFTN_FILE), encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["subscribers"] and row["views"]:
                by_channel.setdefault(row["channel_id"], []).append(row)
    out = []
    for key, rows in sorted(by_channel.items()):
        if len(rows) < min_days:
            continue
        rows.sort(key=lambda r: r["date_utc"])
        out.append(Series(key, "youtube", rows[-1]["channel_title"], MFTN_FILE,
                          np.array([r["date_utc"] for r in rows], dtype="datetime64[D]"),
                          {"subscribers": np.array([float(r["subscribers"]) for r in rows]),
                           "views": np.array([float(r["views"]) for r in rows])}))
    return out
