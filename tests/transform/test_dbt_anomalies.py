"""fct_anomalies finds the bought-subscriber spike planted in the fixture, explains it, and does not
mistake interpolated weeks, failed hand-overs or rounding steps for suspicious growth."""

from __future__ import annotations

from datetime import date

import pytest

from . import raw_fixture

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds


def test_the_planted_spike_is_an_anomaly_for_every_detector(built):
    # A bought-subscriber jump with flat views is exactly what the mart exists to catch.
    rows = built.query("select detector, is_anomaly, reason from marts.fct_anomalies "
                       "where artist_id = 'art_beta' and metric = 'subscribers' and week_at = ? order by detector",
                       [raw_fixture.SPIKE_WEEK])
    assert [r[0] for r in rows] == ["ecod", "iforest", "robust_mad"]
    assert all(r[1] for r in rows)
    assert rows[0][2].startswith("subscribers +343 % in 7 d against a usual +0.0 %; views +0.3 %")


def test_healthy_growth_is_never_judged_anomalous(built):
    # pyod always flags its top 1 %; analysts must not be sent chasing healthy series.
    rows = built.query("select artist_id, metric, week_at from marts.fct_anomalies "
                       "where is_anomaly and artist_id in ('art_alpha', 'art_gamma')")
    assert rows == []


def test_the_spike_is_the_only_anomalous_week(built):
    # Tiny bases (40 -> 80 subscribers) and rounding steps are noise, not fraud.
    rows = built.query("select distinct artist_id, metric, week_at from marts.fct_anomalies where is_anomaly")
    assert rows == [("art_beta", "subscribers", date(2024, 3, 10))]


def test_weeks_crossing_a_failed_junction_are_marked_as_such(built):
    # art_gamma's Social Blade -> ViewStats hand-over fails (42-day gap): its jump may be the hand-over.
    rows = built.query("select artist_id, metric, week_at from intermediate.int_anomalies__features "
                       "where is_junction_break order by metric")
    assert rows == [("art_gamma", "subscribers", date(2022, 8, 21)), ("art_gamma", "views", date(2022, 8, 21))]


def test_interpolated_and_junction_weeks_do_not_feed_the_artists_norm(built):
    # A straight line through a hole, or a hand-over, says nothing about how the artist usually grows.
    rows = built.query("select artist_id, platform, metric, any_value(weeks_in_series), "
                       "count(*) filter (where not is_interpolated and not is_junction_break), count(*) "
                       "from intermediate.int_anomalies__features group by all order by all")
    assert all(norm_weeks == trusted for _, _, _, norm_weeks, trusted, _ in rows)
    gamma = {metric: (trusted, total) for artist, _, metric, _, trusted, total in rows if artist == "art_gamma"}
    assert gamma["subscribers"][1] - gamma["subscribers"][0] == 6  # five interpolated weeks + the break


def test_the_robust_scale_never_falls_below_two_rounding_steps(built):
    # Truncated subscriber counts move by whole steps: a one-step week must not look extreme.
    rows = built.query("select rounding_step_pct, robust_scale_pct from intermediate.int_anomalies__features "
                       "where metric = 'subscribers'")
    assert any(step > 0 for step, _ in rows)
    assert all(scale >= max(2 * step, 0.5) - 1e-9 for step, scale in rows)
