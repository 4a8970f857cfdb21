"""When each history source exposes data, and how public counters are rounded.

Kept apart from the world so the services, the file writers and the tests read
the same dates instead of repeating them.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

N_WEEKS = 520

YOUNIVERSE_FIRST = date(2015, 1, 4)
YOUNIVERSE_LAST = date(2019, 9, 29)
SOCIALBLADE_FIRST = date(2019, 9, 1)
SOCIALBLADE_LAST = date(2022, 12, 25)
VIEWSTATS_FIRST = date(2022, 8, 7)
SHORTS_FIRST = date(2021, 1, 3)
# YouTube abbreviates public subscriber counts from this date on.
ROUNDING_FROM = date(2019, 9, 1)

# Social Blade charts on archived `/monthly` pages show about half a year.
SOCIALBLADE_WINDOW_WEEKS = 26


def last_sunday(today: date) -> date:
    """The last Sunday on or before ``today`` (weeks end on Sunday)."""
    return today - timedelta(days=(today.weekday() + 1) % 7)


def week_dates(today: date, n_weeks: int = N_WEEKS) -> list[date]:
    end = last_sunday(today)
    return [end - timedelta(weeks=n_weeks - 1 - i) for i in range(n_weeks)]


def round_3sf(values: np.ndarray | int) -> np.ndarray:
    """Truncate counts to 3 significant figures, as YouTube shows subscribers.

    YouTube truncates (1,239,999 shows as 1.23M), so rounded series never
    decrease where the truth does not.
    """
    arr = np.asarray(values, dtype=np.int64)
    safe = np.maximum(arr, 1)
    digits = np.floor(np.log10(safe.astype(np.float64))).astype(np.int64)
    unit = 10 ** np.maximum(digits - 2, 0)
    return np.where(arr > 0, (arr // unit) * unit, arr)
