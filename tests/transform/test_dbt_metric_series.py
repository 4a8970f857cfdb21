"""The long weekly series: Sunday alignment, source precedence, flagged interpolation."""

from __future__ import annotations

from datetime import date

import pytest

from . import raw_fixture

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds


def test_every_week_is_a_sunday(built):
    # Every source is aligned to the same Sunday week boundary.
    weekdays = built.query("select distinct dayofweek(observed_at) from marts.fct_metrics")
    assert weekdays == [(0,)]


def test_youniverse_mondays_describe_the_sunday_before(built):
    # YouNiverse's Monday rows close the week that ended the day before.
    first = built.query("select observed_at, value, source from marts.fct_metrics where artist_id = 'yt_UCdelta' "
                        "and metric = 'views' order by observed_at limit 1")
    # The first YouNiverse row is Monday 2019-01-07 and gives the close of Sunday 2019-01-06.
    assert first == [(date(2019, 1, 6), raw_fixture.true_views("UCdelta", date(2019, 1, 6)), "youniverse")]


def test_the_higher_precedence_source_wins_where_sources_overlap(built):
    # Week of 2026-11-08: ViewStats has the Sunday, the YouTube API the days after; the API wins.
    rows = built.query("select source, measured_on from marts.fct_metrics where artist_id = 'art_alpha' "
                       "and metric = 'subscribers' and observed_at = date '2026-11-08'")
    assert rows == [("youtube_api", date(2026, 11, 9))]


def test_missing_weeks_are_interpolated_linearly_and_flagged(built):
    # Gaps are filled on a straight line, and never silently.
    rows = built.query("select observed_at, value, is_interpolated, quality, source from marts.fct_metrics "
                       "where artist_id = 'art_alpha' and metric = 'views' "
                       "and observed_at between date '2024-05-05' and date '2024-05-26' order by observed_at")
    before, after = rows[0][1], rows[-1][1]
    assert [r[2] for r in rows] == [False, True, True, False]
    assert rows[1][1] == pytest.approx(before + (after - before) / 3, rel=1e-12)
    assert rows[2][1] == pytest.approx(before + 2 * (after - before) / 3, rel=1e-12)
    assert rows[1][3:] == ("interpolated", "viewstats")


def test_nothing_is_extrapolated_past_the_last_real_point(built):
    # Interpolation only between two real points: no invented future or past.
    last_real, last_any = built.query(
        "select max(observed_at) filter (where not is_interpolated), max(observed_at) from marts.fct_metrics "
        "where artist_id = 'yt_UCdelta'")[0]
    assert last_real == last_any == date(2019, 9, 22)


def test_social_blade_points_the_scraper_flagged_are_degraded_not_dropped(built):
    # Flagged points stay visible, with their quality, rather than vanishing.
    qualities = built.query("select artist_id, quality, count(*) from marts.fct_metrics where source = 'socialblade' "
                            "and not is_interpolated group by all order by all")
    assert [(a, q) for a, q, _ in qualities] == [("art_alpha", "exact"), ("art_alpha", "rounded"),
                                                 ("art_beta", "exact"), ("art_beta", "rounded"),
                                                 ("art_gamma", "degraded")]
