"""CSV-style history embedded in a page (a JS string, a ``<pre>``, a data attribute).

Also the reader Dygraphs uses for its CSV argument. The header names the
columns ("Date,Total Subscribers,Total Views"); when a single value column says
only "Total", the surrounding context (the Dygraph div id) names the metric.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import re

from scrapers.parsers.js_text import string_literals
from scrapers.parsers.metric_names import is_gains_label, metric_of
from scrapers.parsers.numbers import parse_count, parse_day
from scrapers.parsers.results import Point

_BLOCKS = re.compile(
    r"<(pre|textarea|script)[^>]*>(.*?)</\1>|data-csv\s*=\s*\"([^\"]*)\"|data-csv\s*=\s*'([^']*)'",
    re.S | re.IGNORECASE,
)
_HEADER = re.compile(r"date\s*[,;\t]", re.IGNORECASE)


def parse_csv_text(text: str, context: str = "") -> list[Point]:
    """Points from CSV text whose first non-blank line is a header starting with a date column."""
    text = text.replace("\ufeff", "").strip()
    if not text:
        return []
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    if "\t" in text.splitlines()[0]:
        delimiter = "\t"
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    if len(rows) < 2:
        return []
    header = [h.strip() for h in rows[0]]
    if not header or "date" not in header[0].lower():
        return []
    columns = {}
    for i, name in enumerate(header[1:], start=1):
        metric = metric_of(name) or (metric_of(context) if len(header) == 2 else None)
        if metric and not is_gains_label(name) and not is_gains_label(context):
            columns[i] = metric
    points = []
    for row in rows[1:]:
        day = parse_day(row[0]) if row else None
        if day is None:
            continue
        for i, metric in columns.items():
            value = parse_count(row[i]) if i < len(row) else None
            if value is not None:
                points.append(Point(metric, day, value))
    return points


def parse_embedded_csv(html: str) -> list[Point]:
    """Points from the first CSV-looking block of the page that yields any."""
    candidates: list[str] = []
    for match in _BLOCKS.finditer(html):
        tag, body, attr_dq, attr_sq = match.groups()
        if tag and tag.lower() == "script":
            candidates.extend(s for s in string_literals(body) if "\n" in s and _HEADER.search(s))
        elif body is not None:
            candidates.append(html_lib.unescape(body))
        else:
            candidates.append(html_lib.unescape(attr_dq if attr_dq is not None else attr_sq))
    for candidate in candidates:
        start = _HEADER.search(candidate)
        if not start:
            continue
        points = parse_csv_text(candidate[start.start():])
        if points:
            return points
    return []
