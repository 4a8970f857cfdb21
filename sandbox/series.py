"""The weekly truth: how counters grow, drawn for a block of channels at once.

Every function works on (channels x weeks) arrays so the full-scale world
(150k channels x 10 years) is a few seconds of numpy, not a Python loop.
Normal growth is capped at ~13 % a week; its rare viral weeks lift an
audience and what it watches or listens to together (subscribers with views),
as organic growth does, while injected fraud moves one of them alone.
"""

from __future__ import annotations

import numpy as np

MAX_WEEKLY_LOG_GROWTH = 0.12  # exp(0.12) - 1 = 12.7 % a week at most
VIRAL_WEEK_PROBABILITY = 0.004


def alive_mask(join_idx: np.ndarray, n_weeks: int) -> np.ndarray:
    """True from the first week on or after the channel joined."""
    return np.arange(n_weeks)[None, :] >= join_idx[:, None]


def viral_weeks(rng: np.random.Generator, join_idx: np.ndarray, n_weeks: int) -> tuple[np.ndarray, ...]:
    """Rare viral weeks (rows, weeks, extra log-growth), drawn once so paired counters share them."""
    n = len(join_idx)
    alive_weeks = np.maximum(n_weeks - np.clip(join_idx, 0, n_weeks), 1)
    first = np.clip(join_idx, 0, n_weeks - 1)
    counts = rng.binomial(np.maximum(alive_weeks - 1, 0), VIRAL_WEEK_PROBABILITY)
    rows = np.repeat(np.arange(n), counts)
    cols = np.minimum(first[rows] + rng.integers(1, np.maximum(alive_weeks[rows], 2)), n_weeks - 1)
    return rows, cols, rng.uniform(0.03, 0.08, size=len(rows)).astype(np.float32)


def cumulative_counter(
    rng: np.random.Generator, final: np.ndarray, floor: float, join_idx: np.ndarray, n_weeks: int,
    viral: tuple[np.ndarray, ...] | None = None,
) -> np.ndarray:
    """A non-decreasing counter ending exactly at ``final`` in the last week.

    The weekly log-growth rate is a channel's base rate modulated by a slow
    random drift, noise and rare viral weeks (``viral``, from :func:`viral_weeks`;
    drawn here when not given); the start value follows from the rates (never
    below ``floor``), zeros before the channel joined.
    """
    n = len(final)
    alive = alive_mask(join_idx, n_weeks)
    alive_weeks = np.maximum(n_weeks - np.clip(join_idx, 0, n_weeks), 1)
    # How many times bigger the channel gets over its life, bounded so the
    # average rate stays modest and the start value stays above the floor.
    log_ratio = rng.uniform(0.3, 6.0, size=n)
    log_ratio = np.minimum(log_ratio, np.log(np.maximum(final / floor, 1.0001)))
    log_ratio = np.minimum(log_ratio, 0.045 * alive_weeks)
    base = (log_ratio / alive_weeks).astype(np.float32)
    f32 = np.float32
    drift = np.cumsum(rng.standard_normal((n, n_weeks), dtype=f32) * f32(0.08), axis=1)
    drift -= drift.mean(axis=1, keepdims=True)
    noise = rng.standard_normal((n, n_weeks), dtype=f32)
    noise *= f32(0.3)
    noise += f32(1.0)
    rates = np.exp(np.clip(drift, f32(-1.5), f32(1.5)))
    rates *= noise
    rates *= base[:, None]
    np.clip(rates, f32(0.0), f32(MAX_WEEKLY_LOG_GROWTH), out=rates)
    rates[~alive] = 0.0
    # Growth in week t is the step from t-1 to t; the join week has none.
    first = np.clip(join_idx, 0, n_weeks - 1)
    rates[np.arange(n), first] = 0.0
    # The drift must not change the planned overall growth, or starts collapse to 1.
    rates *= (log_ratio / np.maximum(rates.sum(axis=1, dtype=np.float64), 1e-12)).astype(f32)[:, None]
    # Rare viral weeks: positions drawn directly, no full-size random array.
    viral_rows, viral_cols, boost = viral if viral is not None else viral_weeks(rng, join_idx, n_weeks)
    if len(viral_rows):
        rates[viral_rows, viral_cols] += boost
    np.clip(rates, f32(0.0), f32(MAX_WEEKLY_LOG_GROWTH), out=rates)
    remaining = rates[:, ::-1].cumsum(axis=1)[:, ::-1]  # growth still to come after t, incl. t
    after = np.concatenate([remaining[:, 1:], np.zeros((n, 1), dtype=f32)], axis=1)
    values = np.rint(final[:, None] * np.exp(-after.astype(np.float64))).astype(np.int64)
    values[~alive] = 0
    return values


def upload_counter(rng: np.random.Generator, final: np.ndarray, join_idx: np.ndarray, n_weeks: int) -> np.ndarray:
    """Cumulative video (or post) count: one on joining, then Poisson uploads."""
    alive = alive_mask(join_idx, n_weeks)
    alive_weeks = np.maximum(n_weeks - np.clip(join_idx, 0, n_weeks), 1)
    lam = np.maximum(final - 1, 0) / alive_weeks
    uploads = rng.poisson(lam[:, None], size=(len(final), n_weeks)) * alive
    # Channels older than the grid arrive with the uploads of their earlier years.
    before = np.rint(lam * np.maximum(-join_idx, 0)).astype(np.int64)
    values = 1 + before[:, None] + np.cumsum(uploads, axis=1)
    first = np.clip(join_idx, 0, n_weeks - 1)
    values -= uploads[np.arange(len(final)), first][:, None]
    return np.where(alive, values, 0).astype(np.int64)


def shorts_split(rng: np.random.Generator, views: np.ndarray, shorts_from_idx: int) -> tuple[np.ndarray, np.ndarray]:
    """Split cumulative views into (longform, shorts) that always sum to views.

    Shorts take a per-channel share of each week's new views from the week
    Shorts launched; nothing before.
    """
    n, n_weeks = views.shape
    share = rng.uniform(0.0, 0.6, size=n)
    delta = np.diff(views, axis=1, prepend=0)
    delta = np.maximum(delta, 0)
    shorts_delta = np.floor(delta * share[:, None]).astype(np.int64)
    shorts_delta[:, : max(shorts_from_idx, 0)] = 0
    shorts = np.cumsum(shorts_delta, axis=1)
    return views - shorts, shorts


def noisy_level(rng: np.random.Generator, base: np.ndarray, sd: float) -> np.ndarray:
    """A level (not a counter) that wanders around ``base`` week to week."""
    wobble = np.exp(rng.normal(0.0, sd, size=base.shape))
    return np.rint(base * wobble).astype(np.int64)


def viral_listeners(listeners: np.ndarray, viral: tuple[np.ndarray, ...], weeks: int = 4, gain: float = 3.0) -> np.ndarray:
    """Monthly listeners of a viral week: ``gain`` times the followers' boost, for the ``weeks`` it counts.

    A song going viral brings listeners far faster than followers, and monthly listeners count
    them for four weeks.
    """
    out = listeners.astype(np.float64)
    rows, cols, boost = viral
    for lag in range(weeks):
        at = np.minimum(cols + lag, listeners.shape[1] - 1)
        out[rows, at] *= np.exp(gain * boost.astype(np.float64))
    return np.rint(out).astype(np.int64)


def popularity_from_listeners(listeners: np.ndarray) -> np.ndarray:
    """Spotify-like 0-100 popularity, higher for bigger audiences."""
    pop = np.rint(12.0 * np.log10(listeners.astype(np.float64) + 1.0) - 20.0)
    return np.clip(pop, 0, 100).astype(np.int64)
