"""parse_socialblade_page on saved archived pages of every layout, and on pages it must refuse."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from scrapers.parsers import parse_socialblade_page

from ..fixtures import realdata

RENDERED_LAYOUTS = ("highcharts", "dygraphs", "csv", "table")


def _as_set(result) -> set[tuple[str, dt.date, int]]:
    return {(p.metric, p.observed_on, p.value) for p in result.points}


@pytest.mark.parametrize("layout", RENDERED_LAYOUTS)
def test_every_rendered_layout_yields_exactly_the_series_it_was_rendered_from(page, layout, rendered_truth):
    """Every layout the sandbox serves must round-trip exactly."""
    # Totals only: the weekly-gains charts rendered next to them must not leak in.
    result = parse_socialblade_page(page(f"sb_rendered_{layout}.html"))
    assert result.parser == layout
    assert result.reason is None
    assert _as_set(result) == rendered_truth


def test_a_negative_weekly_change_is_kept_as_a_lower_cumulative_total(page):
    """Social Blade shows real decreases; smoothing them away would hide purges."""
    result = parse_socialblade_page(page("sb_rendered_highcharts.html"))
    views = [p.value for p in result.points if p.metric == "views"]
    assert views[10] < views[9]


def test_the_broken_layout_gives_no_points_parser_none_and_a_reason(page):
    """An unreadable page becomes a reject with a reason, not an exception."""
    result = parse_socialblade_page(page("sb_rendered_broken.html"))
    assert result.points == []
    assert result.parser == "none"
    assert "no known chart layout" in result.reason


def test_real_world_highcharts_page_gives_totals_whose_weekly_changes_are_the_real_ones(page):
    """Real scraped weeks (negative and zero ones included) must survive parsing."""
    # The page was rebuilt from real scraped weekly gains (negative and zero weeks included).
    with realdata("socialblade/yixlu_pewdiepie.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    result = parse_socialblade_page(page("sb_realworld_pewdiepie.html"))
    views = [p.value for p in result.points if p.metric == "views"]
    subs_days = [p.observed_on for p in result.points if p.metric == "subscribers"]
    assert result.parser == "highcharts"
    assert [b - a for a, b in zip(views, views[1:])] == [int(r["weekly_views"]) for r in rows[1:]]
    assert subs_days == [dt.date.fromisoformat(r["start_date"]) for r in rows]
    assert min(b - a for a, b in zip(views, views[1:])) == -334651286


def test_old_highcharts_constructor_with_point_objects_and_date_utc_is_read(page):
    """2019 captures predate Highcharts.chart() and write points as objects."""
    result = parse_socialblade_page(page("sb_handwritten_legacy_highcharts.html"))
    subs = {(p.observed_on, p.value) for p in result.points if p.metric == "subscribers"}
    views = {(p.observed_on, p.value) for p in result.points if p.metric == "views"}
    # A null point is a gap, not a zero.
    assert subs == {(dt.date(2019, 9, 1), 45100), (dt.date(2019, 9, 8), 45300), (dt.date(2019, 9, 15), 45200),
                    (dt.date(2019, 9, 29), 46000)}
    assert views == {(dt.date(2019, 9, 1), 1200300), (dt.date(2019, 9, 8), 1250450), (dt.date(2019, 9, 15), 1301000)}


def test_dygraphs_fed_a_js_array_of_dates_is_read(page):
    """Dygraphs also takes native arrays, not only CSV strings."""
    result = parse_socialblade_page(page("sb_handwritten_dygraphs_array.html"))
    assert result.parser == "dygraphs"
    assert _as_set(result) == {("views", dt.date(2019, 9, 1), 9876543), ("views", dt.date(2019, 9, 8), 9900001),
                               ("views", dt.date(2019, 9, 15), 9950120)}


def test_csv_export_with_bom_semicolons_and_quoted_thousands_is_read_without_the_gains_column(page):
    """Exports vary by locale; a gains column is not a total."""
    result = parse_socialblade_page(page("sb_handwritten_csv_pre_semicolon_bom.html"))
    assert result.parser == "csv"
    assert {p.metric for p in result.points} == {"subscribers", "views"}
    assert ("subscribers", dt.date(2019, 9, 15), 1235000) in _as_set(result)
    assert ("views", dt.date(2019, 9, 8), 54400123) in _as_set(result)


def test_table_with_abbreviated_counts_and_text_dates_is_read(page):
    """The table fallback meets '1.2M' counts and 'Sep 1st 2019' dates."""
    result = parse_socialblade_page(page("sb_handwritten_table_abbreviated.html"))
    got = _as_set(result)
    assert result.parser == "table"
    assert ("subscribers", dt.date(2019, 9, 1), 54200) in got
    assert ("subscribers", dt.date(2019, 9, 15), 1200000) in got
    assert ("views", dt.date(2019, 9, 15), 1250000000) in got  # the "+10,000,000" beside it is ignored
    assert ("videos", dt.date(2019, 9, 8), 1030) in got
    assert not any(value == 1_100_000 for _, _, value in got)  # the gains column is skipped


def test_a_data_page_that_embeds_a_login_recaptcha_is_still_parsed(page, rendered_truth):
    """A login widget is not a challenge page."""
    result = parse_socialblade_page(page("sb_with_login_recaptcha.html"))
    assert _as_set(result) == rendered_truth


def test_a_page_truncated_mid_script_keeps_the_charts_that_closed(page):
    """Half a page still holds complete charts worth keeping."""
    result = parse_socialblade_page(page("sb_truncated_highcharts.html"))
    assert {p.metric for p in result.points} == {"subscribers"}
    assert len(result.points) == 26


@pytest.mark.parametrize("name", ["block_rendered_0.html", "block_rendered_1.html", "block_rendered_2.html",
                                  "block_handwritten_recaptcha_200.html"])
def test_block_pages_are_never_parsed_as_data(page, name):
    """Block pages are retried, never stored."""
    result = parse_socialblade_page(page(name))
    assert result.points == [] and result.parser == "none"
    assert "block" in result.reason


def test_later_repeat_of_a_point_on_the_same_page_wins():
    """A page listing a week twice shows its correction last."""
    html = ("<script>Highcharts.chart('graph-youtube-monthly-subscribers-container', {series: [{name: 'x', "
            "data: [[1578182400000, 100], [1578182400000, 120]]}]});</script>")
    result = parse_socialblade_page(html)
    assert _as_set(result) == {("subscribers", dt.date(2020, 1, 5), 120)}
