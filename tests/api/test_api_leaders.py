"""The growth listings at the latest as_of answer from marts.fct_growth_leaders when it holds the answer, exactly.

The fixture's windows are small, so its leaderboards hold them whole. Cut to their first
two rows (what a build with growth_leaders_per_window = 2 stores), every listing must
still answer what the marts answer: from the leaderboard while enough of its rows pass,
from fct_growth_latest beyond it, and across the boundary when paging.
"""

from __future__ import annotations

import pytest

from api.marts import GROWTH_SORT_KEY
from api.vocabulary import GrowthOrder

from .api_support import change_and_publish
from .test_api_contract import growth_rows, latest_as_of, walk

pytestmark = pytest.mark.slow  # reads the session's published world: a dbt build

LEADERS_KEPT = 2
# The fixture's largest window at its newest as_of (4 channels).
WINDOW = {"platform": "youtube", "metric": "videos", "period": "30d"}
IN_WINDOW = "g.platform = 'youtube' and g.metric = 'videos' and g.period = '30d' and g.as_of = ?"
SORTS = {
    "pct_desc": lambda r: (-(r["growth_pct"] if r["growth_pct"] is not None else float("-inf")), r["artist_id"]),
    "pct_asc": lambda r: ((r["growth_pct"] if r["growth_pct"] is not None else float("inf")), r["artist_id"]),
    "abs_desc": lambda r: (-r["abs_change"], r["artist_id"]),
    "abs_asc": lambda r: (r["abs_change"], r["artist_id"]),
}


@pytest.fixture
def cut_leaders(private_world):
    """The private world's leaderboards cut to their first rows, as a smaller growth_leaders_per_window builds them."""
    change_and_publish(private_world, f"delete from marts.fct_growth_leaders where leader_position > {LEADERS_KEPT}")
    change_and_publish(private_world, f"update marts.fct_growth_leaders set is_whole_window = window_rows <= {LEADERS_KEPT}")
    return private_world


def test_each_leaderboard_is_its_windows_first_rows_in_the_apis_own_order(api_world):
    for order in GrowthOrder:
        misplaced = api_world.sql(f"""
            select count(*) from (
                select leader_position, sort_key, {GROWTH_SORT_KEY[order].replace('g.', '')} as api_key,
                       row_number() over (partition by platform, metric, period order by sort_key, artist_id) as position
                from marts.fct_growth_leaders where growth_order = ?)
            where leader_position <> position or sort_key is distinct from api_key""", [order.value])[0][0]
        assert misplaced == 0, order


def test_the_leaderboards_hold_every_window_at_its_newest_as_of(api_world):
    assert api_world.sql("""
        select count(*) from marts.fct_growth_latest l
        join (select platform, metric, period, max(as_of) as as_of from marts.fct_growth_latest group by all) w
            using (platform, metric, period, as_of)""")[0][0] * 4 == \
        api_world.sql("select count(*) from marts.fct_growth_leaders")[0][0] > 0


@pytest.mark.parametrize("order", list(SORTS))
def test_growth_pages_walk_the_whole_window_across_a_cut_leaderboard(client, cut_leaders, order):
    expected = growth_rows(cut_leaders, IN_WINDOW, [latest_as_of(cut_leaders, **WINDOW)])
    rows = walk(client, "/v1/artists/growth", {**WINDOW, "order": order, "limit": 1})
    assert len(expected) > LEADERS_KEPT
    assert rows == sorted(expected, key=SORTS[order])


@pytest.mark.parametrize("by, column", [("pct", "growth_pct"), ("abs", "abs_change")])
def test_top_over_a_cut_leaderboard_is_the_whole_windows_top(client, cut_leaders, by, column):
    qualifying = growth_rows(cut_leaders, f"{IN_WINDOW} and g.{column} is not null", [latest_as_of(cut_leaders, **WINDOW)])
    assert len(qualifying) > LEADERS_KEPT
    for limit in range(1, len(qualifying) + 1):  # within the leaderboard, then past it
        body = client.get("/v1/artists/top", params={**WINDOW, "by": by, "limit": limit, "min_value": 0}).json()
        best = sorted(qualifying, key=lambda r: (-r[column], r["artist_id"]))[:limit]
        assert [r["artist_id"] for r in body["data"]] == [r["artist_id"] for r in best], limit


@pytest.mark.parametrize("bound", ["lt", "gt"])
def test_a_filter_over_a_cut_leaderboard_finds_every_artist_past_it(client, cut_leaders, bound):
    as_of = latest_as_of(cut_leaders, **WINDOW)
    # Just past the largest (or below the smallest) value: the whole window passes, more than the leaderboard holds.
    low, high = cut_leaders.sql("select min(value_end), max(value_end) from marts.fct_growth g where " + IN_WINDOW, [as_of])[0]
    threshold = high + 1 if bound == "lt" else low - 1
    expected = growth_rows(cut_leaders, f"{IN_WINDOW} and g.value_end {'<' if bound == 'lt' else '>'} ?", [as_of, threshold])
    rows = walk(client, "/v1/artists/filter", {**WINDOW, bound: threshold, "limit": 1})
    assert len(expected) > LEADERS_KEPT
    assert rows == sorted(expected, key=SORTS["pct_desc"])
