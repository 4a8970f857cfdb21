"""Choosing the fewest archived pages whose charts cover every week of 2019-09 … 2022-12.

A ``/monthly`` page's chart shows many past weeks (about 26 in the sandbox, unknown
in the wild), so fetching one page a week wastes most requests. The walk goes
backwards from the end of the range: for the latest week still needed, the
earliest capture *after* it shows that week and reaches furthest back. After a
page is parsed, its earliest point says which week is needed next. A page that
no parser reads is marked tried and the next capture after the same week is used;
weeks no capture covers are reported, never silently dropped.

:func:`plan_snapshots` runs the same walk with an assumed chart span, as a pure
function over CDX rows; the spider drives :class:`HistoryWalk` with what pages
really cover. The captures are the rows the Wayback source stored in
``raw_wayback.snapshots`` (phase 2A).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ingestion.wayback.parsers import CdxRow
from ingestion.wayback.settings import ERA_FIRST, ERA_LAST, MAX_CHART_SPAN_DAYS

ASSUMED_SPAN_DAYS = 182
# Weekly points of other sources may fall on another weekday than Sunday.
WEEK_TOLERANCE_DAYS = 3


def target_weeks(first: dt.date = ERA_FIRST, last: dt.date = ERA_LAST) -> list[dt.date]:
    """Every Sunday from ``first`` to ``last`` (weeks end on Sunday)."""
    start = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    return [start + dt.timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]


def usable_captures(rows: Iterable[CdxRow]) -> list[CdxRow]:
    """200 captures in time order, one per timestamp and per content digest."""
    seen_ts, seen_digest, out = set(), set(), []
    for row in sorted(rows, key=lambda c: c.timestamp):
        if row.statuscode != "200" or row.timestamp in seen_ts:
            continue
        if row.digest and row.digest in seen_digest:
            continue  # identical content: its chart adds nothing
        seen_ts.add(row.timestamp)
        if row.digest:
            seen_digest.add(row.digest)
        out.append(row)
    return out


def naive_captures(rows: Iterable[CdxRow], first: dt.date = ERA_FIRST, last: dt.date = ERA_LAST) -> list[CdxRow]:
    """What the one-page-a-week rule fetches: the first capture of every week that has one."""
    by_week: dict[dt.date, CdxRow] = {}
    for capture in usable_captures(rows):
        day = capture.captured_on
        sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
        if first - dt.timedelta(days=6) <= sunday <= last:
            by_week.setdefault(sunday, capture)
    return list(by_week.values())


class HistoryWalk:
    """The adaptive backward walk over one channel's captures."""

    def __init__(self, rows: Iterable[CdxRow], first: dt.date = ERA_FIRST, last: dt.date = ERA_LAST,
                 max_span_days: int = MAX_CHART_SPAN_DAYS) -> None:
        self.captures = usable_captures(rows)
        self.weeks = target_weeks(first, last)
        self.max_span = dt.timedelta(days=max_span_days)
        self.need: dt.date | None = self.weeks[-1] if self.weeks else None
        self.tried: set[str] = set()
        self.chosen: list[CdxRow] = []
        self.covered: set[dt.date] = set()
        self.lost: set[dt.date] = set()

    def _lose_needed_week(self) -> None:
        assert self.need is not None
        self.lost.add(self.need)
        self._move_need_before(self.need)

    def _move_need_before(self, day: dt.date) -> None:
        earlier = [w for w in self.weeks if w < day - dt.timedelta(days=WEEK_TOLERANCE_DAYS)
                   and w not in self.covered and w not in self.lost]
        self.need = earlier[-1] if earlier else None

    def next_capture(self) -> CdxRow | None:
        """The capture to fetch next, or None when every week is covered or known lost."""
        while self.need is not None:
            candidates = [c for c in self.captures if c.timestamp not in self.tried
                          and self.need < c.captured_on <= self.need + self.max_span]
            if candidates:
                return candidates[0]
            self._lose_needed_week()
        return None

    def record(self, capture: CdxRow, days: Iterable[dt.date]) -> None:
        """What a fetched page covered (nothing when it was unreadable or blocked)."""
        self.tried.add(capture.timestamp)
        days = sorted(set(days))
        if not days:
            return  # the next call offers another capture after the same week
        self.chosen.append(capture)
        tolerance = dt.timedelta(days=WEEK_TOLERANCE_DAYS)
        for week in self.weeks:
            if any(abs(day - week) <= tolerance for day in days):
                self.covered.add(week)
                self.lost.discard(week)
        if self.need is None:
            return
        if days[0] <= self.need + tolerance:
            self._move_need_before(days[0])
        else:
            self._lose_needed_week()  # the page starts after the week we needed

    @property
    def missing_weeks(self) -> list[dt.date]:
        """Target weeks no fetched page covered (so far)."""
        return [w for w in self.weeks if w not in self.covered]


# A page counts as covering a week only if it gave both headline metrics for it, so a
# capture truncated after its first chart does not stop the walk from fetching another.
COVERAGE_METRICS = ("subscribers", "views")


def covered_days(points) -> list[dt.date]:
    """Days for which a parsed page gave every metric in ``COVERAGE_METRICS``."""
    by_metric: dict[str, set[dt.date]] = {}
    for p in points:
        by_metric.setdefault(p.metric, set()).add(p.observed_on)
    sets = [by_metric.get(m, set()) for m in COVERAGE_METRICS]
    return sorted(set.intersection(*sets)) if sets else []


def assumed_days(capture: CdxRow, span_days: int = ASSUMED_SPAN_DAYS) -> list[dt.date]:
    """The weekly points a capture's chart is assumed to show: Sundays before its date within the span."""
    day = capture.captured_on - dt.timedelta(days=1)
    last = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    return [last - dt.timedelta(weeks=i) for i in range(span_days // 7) if (i * 7) < span_days]


def plan_snapshots(rows: Iterable[CdxRow], span_days: int = ASSUMED_SPAN_DAYS, first: dt.date = ERA_FIRST,
                   last: dt.date = ERA_LAST) -> tuple[list[CdxRow], list[dt.date]]:
    """(captures to fetch, weeks left uncovered) if every chart spans ``span_days``."""
    walk = HistoryWalk(rows, first, last)
    while (capture := walk.next_capture()) is not None:
        walk.record(capture, assumed_days(capture, span_days))
    return sorted(walk.chosen, key=lambda c: c.timestamp), walk.missing_weeks


def week_runs(weeks: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive weekly dates grouped into (first, last) runs: one reject per gap, not per week."""
    runs: list[list[dt.date]] = []
    for week in sorted(weeks):
        if runs and week - runs[-1][1] == dt.timedelta(weeks=1):
            runs[-1][1] = week
        else:
            runs.append([week, week])
    return [(a, b) for a, b in runs]
