"""fct_anomalies finds the bought-subscriber spike planted in the fixture, names its kind and explains it,
and does not mistake interpolated weeks, failed hand-overs or rounding steps for suspicious growth."""

from __future__ import annotations

from datetime import date

import pytest

from . import raw_fixture

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds

NORM_WEEKS_EITHER_SIDE = 8
MIN_HISTORY_WEEKS = 4


def test_the_planted_spike_is_bought_followers_with_a_reason_against_the_usual_gain(built):
    # A bought-subscriber jump with views at their usual pace is exactly what the mart exists to catch.
    rows = built.query("select detector, is_anomaly, kind, reason from marts.fct_anomalies "
                       "where artist_id = 'art_beta' and metric = 'subscribers' and week_at = ? order by detector",
                       [raw_fixture.SPIKE_WEEK])
    assert "robust_mad" in [r[0] for r in rows]
    assert {(r[1], r[2]) for r in rows} == {(True, "bought_followers")}
    reason = dict((r[0], r[3]) for r in rows)["robust_mad"]
    assert reason.startswith("subscribers +655,000 in 7 d (+342.9 %), ")
    assert "× the usual +" in reason and "views +0.3 % within its usual range: followers bought" in reason


def test_every_flagged_week_carries_its_gain_against_the_usual_gain(built):
    # The API and analysts read the numbers behind the sentence, not only the sentence.
    gain, usual, growth, companion = built.query(
        "select gain, usual_gain, growth_pct, companion_metric from marts.fct_anomalies "
        "where artist_id = 'art_beta' and week_at = ? and detector = 'robust_mad'", [raw_fixture.SPIKE_WEEK])[0]
    assert gain == 655_000 and 0 < usual < gain / 10 and round(growth, 1) == 342.9 and companion == "views"


def test_healthy_growth_is_never_judged_anomalous(built):
    # pyod always flags its top 1 %; analysts must not be sent chasing healthy series.
    rows = built.query("select artist_id, metric, week_at from marts.fct_anomalies "
                       "where is_anomaly and artist_id in ('art_alpha', 'art_gamma')")
    assert rows == []


def test_the_spike_is_the_only_anomalous_week(built):
    # Tiny bases (40 -> 80 subscribers) and rounding steps are noise, not fraud.
    rows = built.query("select distinct artist_id, metric, week_at from marts.fct_anomalies where is_anomaly")
    assert rows == [("art_beta", "subscribers", raw_fixture.SPIKE_WEEK)]


def test_weeks_crossing_a_failed_junction_are_marked_as_such(built):
    # art_gamma's Social Blade -> ViewStats hand-over fails (42-day gap): its jump may be the hand-over.
    rows = built.query("select artist_id, metric, week_at from intermediate.int_anomalies__features "
                       "where is_junction_break order by metric")
    assert rows == [("art_gamma", "subscribers", date(2022, 8, 21)), ("art_gamma", "views", date(2022, 8, 21))]


def test_the_usual_gain_comes_from_the_trusted_weeks_before_each_week_only(built):
    # A straight line through a hole, or a hand-over, says nothing about how the artist usually grows;
    # the weeks before judge a week (the weeks either side at a series' start), never the week itself.
    rows = built.query("select artist_id, platform, metric, week_at, norm_weeks, "
                       "not is_interpolated and not is_junction_break "
                       "from intermediate.int_anomalies__features order by artist_id, platform, metric, week_at")
    series: dict[tuple, list] = {}
    for artist, platform, metric, _, norm_weeks, trusted in rows:
        series.setdefault((artist, platform, metric), []).append((norm_weeks, trusted))
    for weeks in series.values():
        for i, (norm_weeks, _) in enumerate(weeks):
            before = sum(trusted for _, trusted in weeks[max(i - NORM_WEEKS_EITHER_SIDE, 0):i])
            after = sum(trusted for _, trusted in weeks[i + 1:i + 1 + NORM_WEEKS_EITHER_SIDE])
            assert norm_weeks == (before if before >= MIN_HISTORY_WEEKS else before + after)
    gamma = [trusted for (artist, _, metric), weeks in series.items() if artist == "art_gamma" and metric == "subscribers"
             for _, trusted in weeks]
    assert gamma.count(False) == 6  # five interpolated weeks + the break


def test_a_change_within_two_rounding_steps_has_no_excess(built):
    # Truncated subscriber counts move by whole steps: one or two steps may be no change at all.
    rows = built.query("select gain, usual_gain, rounding_step, excess_ratio from intermediate.int_anomalies__features "
                       "where metric = 'subscribers' and usual_gain is not null")
    within = [excess for gain, usual, step, excess in rows if step > 0 and abs(gain - usual) <= 2 * step]
    assert within and all(excess == 0 for excess in within)
