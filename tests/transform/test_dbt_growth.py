"""fct_growth agrees to the unit with an independent recomputation from the raw rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from . import growth_reference as ref
from . import raw_fixture

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds

ARTISTS = {raw_fixture.UC_ALPHA: "art_alpha", raw_fixture.UC_BETA: "art_beta", raw_fixture.UC_GAMMA: "art_gamma"}


def test_weekly_growth_matches_an_independent_recomputation(built):
    # The SQL must match the documented rules, recomputed from raw rows, for every window.
    expected = {}
    for (channel, metric, period, as_of), value in ref.weekly_growth(ref.weekly_series(ref.youtube_points(built.world.rows))).items():
        if channel in ARTISTS:
            expected[(ARTISTS[channel], metric, period, as_of)] = value
    actual = {
        (artist, metric, period, as_of): (abs_change, growth_pct)
        for artist, metric, period, as_of, abs_change, growth_pct in built.query(
            "select artist_id, metric, period, as_of, abs_change, growth_pct from marts.fct_growth "
            "where platform = 'youtube' and metric in ('subscribers', 'views') and period <> '1d' "
            "and artist_id in ('art_alpha', 'art_beta', 'art_gamma')")
    }
    assert len(expected) > 2000
    assert actual.keys() == expected.keys()
    mismatches = [(key, actual[key], expected[key]) for key in expected
                  if actual[key][0] != pytest.approx(expected[key][0], abs=1e-6)
                  or (actual[key][1] is None) != (expected[key][1] is None)
                  or (actual[key][1] is not None and actual[key][1] != pytest.approx(expected[key][1], rel=1e-12, abs=1e-12))]
    assert mismatches == []


def test_one_day_growth_of_daily_spotify_followers_is_the_day_on_day_change(built):
    # 1d growth exists wherever daily data does, and is just the day-on-day change.
    followers = {r["observed_on"]: r["followers"] for r in built.world.rows["raw_spotify.artists"]
                 if r["artist_id"] == raw_fixture.SP_ALPHA}
    rows = built.query("select as_of, value_start, abs_change, growth_pct from marts.fct_growth "
                       "where artist_id = 'art_alpha' and platform = 'spotify' and metric = 'followers' and period = '1d' order by as_of")
    assert len(rows) == len(followers) - 1
    for as_of, start, change, pct in rows:
        assert start == followers[as_of - timedelta(days=1)]
        assert change == followers[as_of] - followers[as_of - timedelta(days=1)]
        assert pct == pytest.approx(100 * change / start, rel=1e-12)


def test_growth_from_a_zero_start_is_null_not_infinite(built):
    # A percentage from zero is undefined; infinity would poison every ranking.
    rows = built.query("select value_start, abs_change, growth_pct, growth_rank from marts.fct_growth_ranked "
                       "where artist_id = 'yt_UCdelta' and metric = 'subscribers' and period = '7d' "
                       "and as_of = date '2019-01-13'")
    assert rows == [(0.0, 40.0, None, None)]


def test_rank_one_is_the_fastest_grower(built):
    # Top-grower questions read growth_rank, so it must order by growth descending.
    rows = built.query("select artist_id, growth_pct, growth_rank from marts.fct_growth_ranked "
                       "where platform = 'youtube' and metric = 'subscribers' and period = '7d' "
                       "and as_of = date '2024-03-10' order by growth_rank")
    assert rows[0][0] == "art_beta" and rows[0][2] == 1
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)


def test_small_artist_view_keeps_only_values_below_fifty_thousand(built):
    # The 'fewer than 50,000' question must not leak bigger artists.
    assert built.query("select count(*) from marts.small_artist_growth where value_end >= 50000") == [(0,)]
    assert built.query("select count(*) from marts.small_artist_growth") != [(0,)]


def test_growth_pct_is_stored_exact_not_rounded_to_four_decimals(built):
    # Rounding belongs to whoever shows the number: stored, 0.042951 % must not become 0.0430 %.
    rows = built.query("select abs_change, value_start, growth_pct from marts.fct_growth "
                       "where growth_pct is not null and abs_change <> 0")
    assert len(rows) > 1000
    assert all(pct == 100 * change / start for change, start, pct in rows)
    assert any(pct != round(pct, 4) for _, _, pct in rows)


def test_growth_rank_orders_the_exact_growth_within_each_window(built):
    # Ranks are taken on the exact value, so windows a four-decimal rounding would tie rank apart.
    rows = built.query("select platform, metric, period, as_of, growth_pct, growth_rank from marts.fct_growth_ranked "
                       "where growth_pct is not null")
    windows: dict[tuple, list[tuple[float, int]]] = {}
    for platform, metric, period, as_of, pct, rank in rows:
        windows.setdefault((platform, metric, period, as_of), []).append((pct, rank))
    for members in windows.values():
        for pct, rank in members:
            assert rank == 1 + sum(other > pct for other, _ in members)


def test_fct_growth_is_stored_unranked_and_ranked_where_read(built):
    # Ranking every as_of was most of fct_growth's build; the rank lives in the readers.
    assert "growth_rank" not in {c for (c,) in built.query(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'fct_growth'")}
    assert built.query("select count(*) from marts.fct_growth") == built.query("select count(*) from marts.fct_growth_ranked")


def test_latest_windows_store_the_rank_fct_growth_ranked_gives_at_their_as_of(built):
    # Each series' newest window is ranked among every artist of that window, as on read.
    latest = built.query("select artist_id, platform, metric, period, as_of, growth_rank from marts.fct_growth_latest order by all")
    ranked = built.query("select artist_id, platform, metric, period, as_of, growth_rank from marts.fct_growth_ranked "
                         "semi join marts.fct_growth_latest using (artist_id, platform, metric, period, as_of) order by all")
    assert len(latest) > 50
    assert any(rank is not None and rank > 1 for *_, rank in latest)
    # some series end before their window's newest as_of: ranked among the artists there, too
    assert len({row[1:5] for row in latest}) > len({row[1:4] for row in latest})
    assert latest == ranked


def test_top_growers_need_a_thousand_at_the_end_of_the_window(built):
    # A jump from 43 to 47 videos (+9 %) is not a top grower: small values rank first among every artist ...
    assert built.query("""
        select count(*) from marts.fct_growth_ranked
        inner join (select platform, metric, period, max(as_of) as as_of from marts.fct_growth group by all)
            using (platform, metric, period, as_of)
        where value_end < 1000 and growth_rank = 1""") != [(0,)]
    # ... but never in top_growers, which ranks only windows ending at 1,000 or more.
    assert built.query("select count(*) from marts.top_growers where value_end < 1000") == [(0,)]
    rows = built.query("select platform, metric, period, grower_rank, growth_pct from marts.top_growers "
                       "order by platform, metric, period, grower_rank")
    assert rows
    for group in {r[:3] for r in rows}:
        ranked = [r[3:] for r in rows if r[:3] == group]
        assert ranked[0][0] == 1 and [pct for _, pct in ranked] == sorted((pct for _, pct in ranked), reverse=True)
