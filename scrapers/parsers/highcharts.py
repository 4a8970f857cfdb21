"""Social Blade's Highcharts layout: ``Highcharts.chart('<container>', {... series: [{data: [[ms, v], ...]}]})``.

Older captures use ``new Highcharts.Chart({chart: {renderTo: '<container>'}, ...})``;
both are read. Which metric a chart holds is decided from its container id,
title and series name; charts of weekly gains are skipped because we store totals.
"""

from __future__ import annotations

import datetime as dt
import re

from scrapers.parsers.js_text import balanced_block, property_block, property_string, split_top_level, string_literals
from scrapers.parsers.metric_names import is_gains_label, metric_of
from scrapers.parsers.numbers import epoch_to_date, parse_count
from scrapers.parsers.results import Point

_CALL = re.compile(r"(?:Highcharts\.(?:chart|stockChart|Chart)|new\s+Highcharts\.(?:Chart|StockChart))\s*\(")
_NUM = r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
_PAIR = re.compile(r"\[\s*(" + _NUM + r"|Date\.UTC\([^)]*\))\s*,\s*(" + _NUM + r"|null)\s*\]")
_XY = re.compile(r"\{\s*x\s*:\s*(" + _NUM + r")\s*,\s*y\s*:\s*(" + _NUM + r"|null)\s*[,}]")
_UTC = re.compile(r"Date\.UTC\(\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})")


def _x_to_date(token: str):
    utc = _UTC.match(token)
    if utc:
        year, month0, day = map(int, utc.groups())
        try:
            return dt.date(year, month0 + 1, day)  # JS months count from 0
        except ValueError:
            return None
    return epoch_to_date(float(token))


def _series_points(data: str, metric: str) -> list[Point]:
    points = []
    for x, y in _PAIR.findall(data) or _XY.findall(data):
        day, value = _x_to_date(x), parse_count(None if y == "null" else float(y))
        if day is not None and value is not None:
            points.append(Point(metric, day, value))
    return points


def _chart_configs(html: str):
    """(container label, config text) for each chart call on the page."""
    for match in _CALL.finditer(html):
        args = balanced_block(html, match.end() - 1)
        if args is None:
            continue  # truncated page: the call never closes
        parts = split_top_level(args)
        container = ""
        if len(parts) >= 2 and parts[0][:1] in "\"'":
            container = " ".join(string_literals(parts[0]))
            config = parts[1]
        else:
            config = parts[0]
            container = property_string(config, "renderTo") or ""
        yield container, config


def parse_highcharts(html: str) -> list[Point]:
    """Cumulative points from every totals chart on the page."""
    points: list[Point] = []
    for container, config in _chart_configs(html):
        title_block = property_block(config, "title") or ""
        title = property_string(title_block, "text") or ""
        series_block = property_block(config, "series")
        if not series_block:
            continue
        for series in split_top_level(series_block):
            name = property_string(series, "name") or ""
            # Titles and series names carry the channel's own title ("Daily Dose
            # Views"), so the container id, a fixed vocabulary, decides when present.
            label = container or title or name
            metric = metric_of(label) or metric_of(title) or metric_of(name)
            if metric is None or is_gains_label(label):
                continue
            data = property_block(series, "data")
            if data:
                points.extend(_series_points(data, metric))
    return points
