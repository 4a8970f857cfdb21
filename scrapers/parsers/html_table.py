"""Plain HTML tables of history (date, subscribers, views, ...): the last-resort layout.

Cells may hold abbreviated counts ("1.2M") and a change next to the total
("1,234,567 +1,200"); the first number-like token of a cell is the total.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from scrapers.parsers.metric_names import is_gains_label, metric_of
from scrapers.parsers.numbers import parse_count, parse_day
from scrapers.parsers.results import Point

_TOKEN = re.compile(r"[+-]?\d[\d,.\u00a0\u202f]*[KMBkmb]?(?![a-z])")


class _Tables(HTMLParser):
    """Collects every table as rows of cell texts; tolerant of unclosed tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._close_cell()
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._close_cell()
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self):
        if self._cell is not None and self._stack and self._stack[-1]:
            self._stack[-1][-1].append(" ".join("".join(self._cell).split()))
        self._cell = None

    def close(self):
        super().close()
        self._close_cell()
        while self._stack:
            self.tables.append(self._stack.pop())


def _first_count(cell: str) -> int | None:
    match = _TOKEN.search(cell)
    return parse_count(match.group(0).strip()) if match else None


def _read_table(rows: list[list[str]]) -> list[Point]:
    rows = [r for r in rows if r]
    for h, header in enumerate(rows[:3]):
        if not header or "date" not in header[0].lower():
            continue
        columns = {
            i: metric_of(name)
            for i, name in enumerate(header)
            if i > 0 and metric_of(name) and not is_gains_label(name)
        }
        points = []
        for row in rows[h + 1 :]:
            day = parse_day(row[0]) if row else None
            if day is None:
                continue
            for i, metric in columns.items():
                value = _first_count(row[i]) if i < len(row) else None
                if value is not None:
                    points.append(Point(metric, day, value))
        return points
    return []


def parse_html_table(html: str) -> list[Point]:
    """Points from every history-shaped table on the page."""
    parser = _Tables()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser can trip on pathological markup; a half-read page is still a page
        pass
    points: list[Point] = []
    for table in parser.tables:
        points.extend(_read_table(table))
    return points
