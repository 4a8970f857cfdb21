"""fct_anomalies finds the bought-subscriber spike planted in the fixture, and explains it."""

from __future__ import annotations

from datetime import date

import raw_fixture


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
