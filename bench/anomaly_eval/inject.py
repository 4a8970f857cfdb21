"""Fraud injected into copies of the real series, with the ground truth the scoring reads.

Sizes follow what the industry reports: bought followers and botted views are multiples of the
account's usual weekly gain (real purchases are 6-20x it); a purge removes a share of the
audience; fake streams add a share of monthly listeners for the 28 days they count. Counts a
platform rounds to 3 significant figures stay rounded after an injection, so an injection
smaller than the rounding can vanish: such events are kept in the truth but marked not
observable (the platform itself shows nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.anomaly_eval.realdata import Series, rounding_step

NORM_WEEKS = 8  # the usual gain: the mean of the 8 weekly gains either side, as the features compute it
FAKE_STREAM_DAYS = 28
DAY_IN_WEEK = 3  # daily series: the event happens on the Thursday of its week


class CannotInject(ValueError):
    """The injection would make the copy unlike anything the platform publishes."""


@dataclass(frozen=True)
class Injection:
    key: str
    platform: str
    metric: str
    week: np.datetime64  # the Sunday ending the week it happens in
    kind: str
    size: float  # multiple of the usual gain, or share (purge, fake streams)
    amount: float  # units added (negative: removed)
    multiple: float  # |amount| in usual weekly gains (of |gain| for levels)
    observable: bool  # the series as published shows it (beyond two rounding steps)


def truncate_3sf(values: np.ndarray) -> np.ndarray:
    step = rounding_step(values)
    return np.where(step > 0, np.floor(values / np.where(step > 0, step, 1)) * step, values)


def weekly_gains(series: Series, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(Sunday, gain) of each week as the pipeline measures it: week W holds the earliest reading
    from Sunday W to Saturday, and a week's gain needs the week before."""
    days = series.days.view("int64")
    weeks = days - (days - 3) % 7  # the Sunday on or before each day (1970-01-04 was a Sunday)
    first = np.concatenate([[True], weeks[1:] != weeks[:-1]])
    week_days, values = weeks[first], series.metrics[metric][first]
    consecutive = np.diff(week_days) == 7
    return week_days[1:][consecutive].astype("datetime64[D]"), np.diff(values)[consecutive]


def usual_gain(series: Series, metric: str, week: np.datetime64, absolute: bool = False) -> float:
    """The mean gain of the NORM_WEEKS weeks either side of ``week`` (itself left out)."""
    days, gains = weekly_gains(series, metric)
    t = int(np.flatnonzero(days == week)[0])
    around = np.concatenate([gains[max(t - NORM_WEEKS, 0):t], gains[t + 1:t + 1 + NORM_WEEKS]])
    around = np.abs(around) if absolute else around
    return float(np.mean(around)) if len(around) else 0.0


def inject(series: Series, metric: str, week: np.datetime64, kind: str, size: float) -> Injection:
    """Change ``series`` in place from ``week`` on (a daily series: from that week's Thursday).

    Raises CannotInject (leaving ``series`` untouched) when the result would not be a series the
    platform could publish.
    """
    values = series.metrics[metric]
    start = week if series.is_weekly else week - np.timedelta64(6 - DAY_IN_WEEK, "D")
    since = series.days >= start
    sunday_index = int(np.flatnonzero(series.days >= week)[0])  # the reading that carries week ``week``
    rounded = series.rounded[metric] & since
    before = values.copy()
    if kind in ("bought_followers", "botted_views"):
        usual = usual_gain(series, metric, week)
        values[since] += size * max(usual, 1.0)
    elif kind == "purge":
        if (rounding_step(values[rounded] * (1 - size)) < rounding_step(values[rounded])).any():
            # Below a power of ten the platform rounds to a finer step, and counts truncated at the
            # coarser one cannot be refined: their whole steps would read as jumps.
            raise CannotInject(f"a {size:.0%} purge takes rounded counts below a power of ten")
        values[since] *= 1 - size
    elif kind == "fake_streams":
        burst = since & (series.days < start + np.timedelta64(FAKE_STREAM_DAYS, "D"))
        values[burst] *= 1 + size
    else:
        raise ValueError(f"no injection of kind {kind!r}")
    values[rounded] = truncate_3sf(values[rounded])  # a rounded series stays rounded
    amount = float(values[sunday_index] - before[sunday_index])
    norm = usual_gain(Series(series.key, series.platform, series.title, series.origin, series.days, {metric: before}),
                      metric, week, absolute=kind == "fake_streams")
    step = rounding_step(np.array([values[sunday_index]]))[0] if rounded[sunday_index] else 0.0
    return Injection(series.key, series.platform, metric, week, kind, size, amount,
                     abs(amount) / max(abs(norm), 1.0), bool(abs(amount) > 2 * step))


def event_weeks(series: Series, first: int, spacing: int, margin: int = 2) -> list[np.datetime64]:
    """Sundays ``spacing`` weeks apart from the ``first``-th, leaving ``margin`` weeks at the end."""
    days, _ = weekly_gains(series, next(iter(series.metrics)))
    return [days[t] for t in range(first, len(days) - margin, spacing)]

