"""The pandas side of the race states fct_growth's rules where the benchmark's world does not reach them.

Why: the benchmark's world is YouNiverse alone (weekly, never rounded), so its
row-for-row check cannot show that pandas applies the registry's rounding rule,
the daily 1d period or SQL's rank ties; these small frames do.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from bench.baseline import COLUMNS, growth_frame
from urated import sources

LOADED = datetime(2026, 11, 16, tzinfo=timezone.utc)


def _points(rows: list[tuple]) -> pd.DataFrame:
    """(grain, artist_id, metric, observed_at, value, source) rows as fct_growth's input points."""
    frame = pd.DataFrame(rows, columns=["grain", "artist_id", "metric", "observed_at", "value", "source"])
    frame["platform"] = "youtube"
    frame["observed_at"] = pd.to_datetime(frame["observed_at"])
    frame["is_interpolated"] = False
    frame["loaded_at"] = pd.Timestamp(LOADED)
    frame["quality"] = "exact"
    return frame


def _rounded_source():
    return next(s for s in sources.sources() if "subscribers" in s.rounded_metrics and s.cadence == "weekly")


def test_a_change_within_one_rounding_step_of_a_rounded_source_is_no_growth():
    rounded = _rounded_source()
    sunday = rounded.rounded_since + timedelta(days=(6 - rounded.rounded_since.weekday()) % 7 + 7)
    points = _points([("weekly", "a", "subscribers", sunday - timedelta(days=7), 1_230_000.0, rounded.source),
                      ("weekly", "a", "subscribers", sunday, 1_240_000.0, rounded.source)])
    (row,) = growth_frame(points, history_weeks=None).itertuples()
    assert row.period == "7d" and row.as_of == pd.Timestamp(sunday)
    assert row.abs_change == 0 and row.growth_pct == 0 and row.is_within_rounding


def test_the_same_change_from_a_source_that_does_not_round_is_growth():
    exact = next(s for s in sources.sources() if "subscribers" in s.metrics and not s.rounded_metrics)
    points = _points([("weekly", "a", "subscribers", "2024-01-07", 1_230_000.0, exact.source),
                      ("weekly", "a", "subscribers", "2024-01-14", 1_240_000.0, exact.source)])
    (row,) = growth_frame(points, history_weeks=None).itertuples()
    assert row.abs_change == 10_000 and row.growth_pct == pytest.approx(100 * 10_000 / 1_230_000)
    assert not row.is_within_rounding


def test_daily_points_give_1d_growth_and_weekly_points_the_weekly_periods():
    sundays = pd.date_range("2023-01-01", periods=53, freq="7D")
    weekly = [("weekly", "a", "views", d.date().isoformat(), 1000.0 + k, "youniverse") for k, d in enumerate(sundays)]
    daily = [("daily", "a", "views", "2024-05-01", 500.0, "youtube_api"),
             ("daily", "a", "views", "2024-05-02", 550.0, "youtube_api")]
    frame = growth_frame(_points(weekly + daily), history_weeks=None)
    assert set(frame["period"]) == {"1d", "7d", "30d", "90d", "365d"}
    one_day = frame[frame["period"] == "1d"]
    assert len(one_day) == 1 and one_day["growth_pct"].iloc[0] == pytest.approx(10.0)
    assert (frame.loc[frame["period"] == "365d", "value_start"] == 1000.0).all()


def test_the_frame_holds_exactly_fct_growths_columns_in_its_order():
    rows = [("weekly", "a", "views", "2024-01-07", 100.0, "youniverse"),
            ("weekly", "a", "views", "2024-01-14", 200.0, "youniverse")]
    frame = growth_frame(_points(rows), history_weeks=None)
    assert list(frame.columns) == list(COLUMNS)
    assert "growth_rank" not in frame.columns  # fct_growth is stored unranked


def test_the_history_horizon_keeps_as_of_dates_from_that_many_weeks_before_the_newest():
    sundays = pd.date_range("2023-01-01", periods=30, freq="7D")
    points = _points([("weekly", "a", "views", d.date().isoformat(), 1000.0 + k, "youniverse")
                      for k, d in enumerate(sundays)])
    frame = growth_frame(points, history_weeks=4)
    assert sorted(set(frame["as_of"])) == list(sundays[-5:])
