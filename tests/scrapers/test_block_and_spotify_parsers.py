"""Block-page detection and Spotify monthly listeners on saved pages."""

from __future__ import annotations

import pytest

from scrapers.parsers import is_block_page, parse_monthly_listeners


@pytest.mark.parametrize("name", ["block_rendered_0.html", "block_rendered_1.html", "block_rendered_2.html",
                                  "block_handwritten_recaptcha_200.html"])
def test_challenge_and_rate_limit_pages_are_block_pages(page, name):
    """A challenge parsed as 'no layout' would look like a layout change and never be retried."""
    assert is_block_page(page(name))


@pytest.mark.parametrize("name", ["sb_rendered_highcharts.html", "sb_with_login_recaptcha.html",
                                  "sb_rendered_broken.html", "spotify_rendered.html"])
def test_real_content_pages_are_not_block_pages(page, name):
    """A false positive would throw away real data and retry it forever."""
    assert not is_block_page(page(name))


def test_spotify_page_gives_the_exact_figure_from_the_body_not_the_abbreviated_meta(page):
    """The meta rounds to 1.2M; growth maths needs the exact count."""
    assert parse_monthly_listeners(page("spotify_rendered.html")) == 1_234_567


def test_spotify_page_with_only_the_og_description_gives_the_abbreviated_figure(page):
    """Some captures carry only the meta: a rounded figure beats none."""
    assert parse_monthly_listeners(page("spotify_handwritten_meta_only.html")) == 1_200_000


def test_spotify_embedded_state_json_wins_over_the_abbreviated_meta(page):
    """The state JSON is exact and survives markup changes."""
    assert parse_monthly_listeners(page("spotify_handwritten_state_json.html")) == 65_321


def test_spotify_block_page_gives_no_figure(page):
    """Block pages must never become data."""
    assert parse_monthly_listeners(page("block_rendered_0.html")) is None


def test_a_page_without_the_phrase_gives_no_figure(page):
    """No phrase, no number: stray counts elsewhere on a page are not listeners."""
    assert parse_monthly_listeners(page("sb_rendered_table.html")) is None


def test_a_wayback_page_cut_before_its_closing_tag_is_truncated_and_a_whole_one_is_not(page):
    """Half a page would be stored as half a capture; it must be fetched again instead."""
    from scrapers.parsers.completeness import is_truncated_html

    whole = page("sb_rendered_table.html")
    assert not is_truncated_html(whole)  # </html> is followed by Wayback's comments
    assert is_truncated_html(whole[: len(whole) // 2])
