"""Social Blade's Dygraphs layout: ``new Dygraph(document.getElementById("graphdivtotalsubs"), "Date,Total Subscribers\\n" + ...)``.

The data argument is a CSV string built by concatenating literals (one per row),
so the literals are joined and read as CSV; a JS array of ``[new Date(...), v]``
rows is accepted as well.
"""

from __future__ import annotations

import re

from scrapers.parsers.csv_text import parse_csv_text
from scrapers.parsers.js_text import balanced_block, split_top_level, string_literals
from scrapers.parsers.metric_names import is_gains_label, metric_of
from scrapers.parsers.numbers import parse_count, parse_day
from scrapers.parsers.results import Point

_CALL = re.compile(r"new\s+Dygraph\s*\(")
_ROW = re.compile(r"\[\s*new\s+Date\(\s*[\"']?([^\"')]+)[\"']?\s*\)\s*,\s*(-?[\d.]+)\s*\]")


def parse_dygraphs(html: str) -> list[Point]:
    """Cumulative points from every Dygraph whose div or header names a total."""
    points: list[Point] = []
    for match in _CALL.finditer(html):
        args = balanced_block(html, match.end() - 1)
        if args is None:
            continue
        parts = split_top_level(args)
        if len(parts) < 2:
            continue
        div = " ".join(string_literals(parts[0]))
        data = parts[1]
        if data.lstrip().startswith("["):
            metric = metric_of(div)
            if metric is None or is_gains_label(div):
                continue
            for day, value in _ROW.findall(data):
                d, v = parse_day(day), parse_count(value)
                if d and v is not None:
                    points.append(Point(metric, d, v))
            continue
        csv_text = "".join(string_literals(data))
        points.extend(parse_csv_text(csv_text, context=div))
    return points
