"""The parsers never raise: garbage, truncations and odd types all come back as 'nothing understood'."""

from __future__ import annotations

import random

import pytest

from scrapers.parsers import is_block_page, parse_monthly_listeners, parse_socialblade_page
from scrapers.parsers.numbers import parse_count, parse_day

NASTY = [
    "", " ", "\ufeff", "<html>", "<<<>>>", "Highcharts.chart(", "new Dygraph(", "series: [{data: [[",
    "<table><tr><th>Date</th><th>Subscribers</th></tr><tr><td>2020-13-45</td><td>1.2.3M</td></tr>",
    "Highcharts.chart('graph-youtube-monthly-subscribers-container', {series: [{data: [[99999999999999999999, 1]]}]})",
    "new Dygraph(document.getElementById(\"graphdivtotalsubs\"), \"Date,Total\\n\" + \"99999999,-\\n\")",
    "<pre>date,subscribers\n\n,,,\n2020-01-05</pre>", "\x00\x01\x02" * 50, "'" * 1000, "[" * 5000,
    "monthly listeners", "1e309 monthly listeners",
]


@pytest.mark.parametrize("html", NASTY)
def test_hand_picked_garbage_gives_no_data_and_no_exception(html):
    """One odd capture must not stop a crawl of thousands."""
    result = parse_socialblade_page(html)
    assert result.parser in {"none", "highcharts", "dygraphs", "csv", "table"}
    assert all(p.value >= 0 for p in result.points)
    parse_monthly_listeners(html)
    is_block_page(html)


def test_non_string_input_is_an_empty_page():
    """A failed download may hand the parser None."""
    assert parse_socialblade_page(None).reason == "empty page"  # type: ignore[arg-type]


def test_every_prefix_of_a_real_page_parses_without_raising(page):
    """Archived pages are often cut short; every cut point must be survivable."""
    html = page("sb_rendered_dygraphs.html")
    for cut in range(0, len(html), 97):
        result = parse_socialblade_page(html[:cut])
        assert result.parser in {"none", "dygraphs", "csv", "table", "highcharts"}


def test_random_mutations_of_real_pages_never_raise(page):
    """Fuzzing finds the lexer paths hand-picked cases miss."""
    rng = random.Random(7)
    pages = [page(f"sb_rendered_{layout}.html") for layout in ("highcharts", "csv", "table")]
    alphabet = "[](){},'\"\\n<>/0123456789.-"
    for _ in range(300):
        chars = list(rng.choice(pages))
        for _ in range(rng.randint(1, 40)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        parse_socialblade_page("".join(chars))


@pytest.mark.parametrize("text,expected", [
    ("1,234,567", 1234567), ("\ufeff1234567", 1234567), ("54.2M", 54_200_000), ("+1.2K", 1200),
    ("-3,001", -3001), ("1 234 567", 1234567), ("1234567.0", 1234567), ("2.5B", 2_500_000_000),
    ("--", None), ("", None), ("1.2.3", None), ("abc", None),
])
def test_counts_in_every_spelling(text, expected):
    """Each layout writes numbers its own way; all must reach the same int."""
    assert parse_count(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("20200105", (2020, 1, 5)), ("2020-01-05", (2020, 1, 5)), ("2020/01/05", (2020, 1, 5)),
    ("1578182400000", (2020, 1, 5)), ("Sun, Jan 5th 2020", (2020, 1, 5)), ("2020-01-05 Sun", (2020, 1, 5)),
    ("5 January 2020", (2020, 1, 5)), ("99999999", None), ("Total", None),
])
def test_dates_in_every_spelling(text, expected):
    """Each layout writes dates its own way; all must reach the same day."""
    day = parse_day(text)
    assert (day.timetuple()[:3] if day else None) == expected
