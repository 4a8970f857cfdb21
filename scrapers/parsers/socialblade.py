"""Archived Social Blade ``/monthly`` pages to cumulative weekly points, whatever the layout.

Layouts changed over 2019–2022; each has its own reader and they are tried in the
order they were seen in the wild. The first that yields points wins and is named
in the result, so a layout change shows up as a shift in the ``parser`` column
rather than as silent loss. No input makes this raise.
"""

from __future__ import annotations

from typing import Callable

from scrapers.parsers.blocks import is_block_page
from scrapers.parsers.csv_text import parse_embedded_csv
from scrapers.parsers.dygraphs import parse_dygraphs
from scrapers.parsers.highcharts import parse_highcharts
from scrapers.parsers.html_table import parse_html_table
from scrapers.parsers.results import ParseResult, Point

LAYOUT_PARSERS: tuple[tuple[str, Callable[[str], list[Point]]], ...] = (
    ("highcharts", parse_highcharts),
    ("dygraphs", parse_dygraphs),
    ("csv", parse_embedded_csv),
    ("table", parse_html_table),
)


def _deduplicated(points: list[Point]) -> list[Point]:
    """One point per metric and day (a later repeat on the page wins), sorted."""
    latest = {(p.metric, p.observed_on): p for p in points if p.value >= 0}
    return sorted(latest.values(), key=lambda p: (p.metric, p.observed_on))


def parse_socialblade_page(html: str) -> ParseResult:
    """Points of one archived page, the parser that read them, or ``parser="none"`` and why not."""
    if not isinstance(html, str) or not html.strip():
        return ParseResult([], "none", "empty page")
    if is_block_page(html):
        return ParseResult([], "none", "block or CAPTCHA page, not data")
    failures = []
    for name, parse in LAYOUT_PARSERS:
        try:
            points = _deduplicated(parse(html))
        except Exception as exc:  # a reader's bug must not stop the others from trying
            failures.append(f"{name} failed: {type(exc).__name__}")
            continue
        if points:
            return ParseResult(points, name, None)
    tried = ", ".join(name for name, _ in LAYOUT_PARSERS)
    detail = f" ({'; '.join(failures)})" if failures else ""
    return ParseResult([], "none", f"no known chart layout found (tried {tried}){detail}")
