"""The series the rendered fixture pages were generated from: the truth the parser tests compare against."""

from __future__ import annotations

import datetime as dt

FIRST_WEEK = dt.date(2020, 1, 5)
WEEKS = 26
CHANNEL_TITLE = "Daily Views & Subs"  # words a naive metric/gains matcher would trip on
CHANNEL_ID = "UCfixture0000000000000001"


def fixture_points() -> dict[str, list[tuple[dt.date, int]]]:
    """Weekly totals; subscribers at 3 significant figures, one week where Social Blade's views went down."""
    days = [FIRST_WEEK + dt.timedelta(weeks=i) for i in range(WEEKS)]
    subscribers = [1_230_000 + 10_000 * i for i in range(WEEKS)]
    views = [987_654_321 + 1_234_567 * i for i in range(WEEKS)]
    views[10] = views[9] - 334_651  # a negative weekly delta, as real pages show
    videos = [500 + i // 2 for i in range(WEEKS)]
    return {
        "subscribers": list(zip(days, subscribers)),
        "views": list(zip(days, views)),
        "videos": list(zip(days, videos)),
    }
