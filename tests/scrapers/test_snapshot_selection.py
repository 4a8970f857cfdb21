"""Snapshot selection on real CDX listings (duplicates, 302s, resume keys, an empty last page) and on a year-scale schedule.

The listings are parsed by the one CDX parser (``ingestion.wayback``), as the
rows the spider reads back from ``raw_wayback.snapshots`` were.
"""

from __future__ import annotations

import datetime as dt
import random

from ingestion.wayback.parsers import CdxRow, parse_cdx_json, parse_cdx_text
from scrapers.snapshot_selection import (
    HistoryWalk,
    assumed_days,
    naive_captures,
    plan_snapshots,
    target_weeks,
    usable_captures,
)

from ..fixtures import realdata

CNN_PAGES = ("p01", "p02", "p14", "p15")


def _cnn_captures() -> list[CdxRow]:
    rows: list[CdxRow] = []
    for page in CNN_PAGES:
        rows += parse_cdx_text(realdata(f"cdx/edgi_cdx_plaintext_cnn_multipage_{page}.txt").read_text()).rows
    return rows


def _capture(timestamp: str, digest: str) -> CdxRow:
    return CdxRow("com,socialblade)/x/monthly", timestamp, "https://socialblade.com/x/monthly", "text/html", "200",
                  digest, "20000")


def test_duplicates_and_non_200_captures_are_collapsed_before_selection():
    """Redirect captures have no chart; duplicates would be fetched twice."""
    usable = usable_captures(_cnn_captures())
    assert len(_cnn_captures()) == 75
    assert len(usable) == 18  # 21 distinct timestamps, 3 of them 302 redirects
    assert all(c.statuscode == "200" for c in usable)


def test_captures_with_the_same_digest_count_once():
    """Identical content means an identical chart: one fetch is enough."""
    rows = parse_cdx_json(realdata("cdx/openwayback_readme_cdx_json_limit3.json").read_text()).rows
    assert [c.timestamp for c in usable_captures(rows)] == ["19970126045828", "19971011050034"]


def test_plan_on_the_real_listing_picks_the_fewest_captures_that_cover_every_week():
    """Fewest requests is the point of selection; checked on a real listing."""
    first, last = dt.date(2001, 4, 8), dt.date(2001, 5, 12)
    chosen, missing = plan_snapshots(_cnn_captures(), span_days=14, first=first, last=last)
    assert [c.timestamp for c in chosen] == ["20010418073133", "20010503145728", "20010509124639"]
    assert missing == []
    assert len(naive_captures(_cnn_captures(), first, last)) == 4


def test_weeks_no_capture_can_show_are_reported_missing():
    """Uncovered weeks must be named, never silently dropped."""
    first, last = dt.date(2001, 3, 4), dt.date(2001, 5, 12)
    _, missing = plan_snapshots(_cnn_captures(), span_days=14, first=first, last=last)
    # The first capture (2001-04-10) shows 2001-04-01 and 04-08; nothing shows March.
    assert missing == [dt.date(2001, 3, 4), dt.date(2001, 3, 11), dt.date(2001, 3, 18), dt.date(2001, 3, 25)]


def _schedule(seed: int) -> list[CdxRow]:
    """Captures every 4–36 days over 2019-09 … 2023-01, as archived Social Blade pages are."""
    rng = random.Random(seed)
    day, out = dt.datetime(2019, 9, 12, 10), []
    while day < dt.datetime(2023, 1, 8):
        out.append(_capture(day.strftime("%Y%m%d%H%M%S"), f"d{len(out)}"))
        day += dt.timedelta(days=rng.randint(4, 36), seconds=rng.randint(0, 80_000))
    for late in ("20230103101500", "20230120101500"):  # pages captured after the range show its last weeks
        out.append(_capture(late, late))
    return out


def test_half_year_charts_need_about_one_page_in_twenty_of_the_naive_rule():
    """A half-year chart makes one page a week wasteful; the saving must be real."""
    for seed in range(5):
        captures = _schedule(seed)
        chosen, missing = plan_snapshots(captures, span_days=182)
        covered = {d for c in chosen for d in assumed_days(c, 182)}
        weeks = target_weeks()
        assert set(weeks) - covered == set(missing)
        assert len(chosen) <= 9
        assert len(naive_captures(captures)) >= 4 * len(chosen)


def test_walk_steps_back_from_the_earliest_point_a_page_really_showed():
    """Chart spans are unknown in the wild: the page itself says where to go next."""
    captures = _schedule(1)
    walk = HistoryWalk(captures)
    first = walk.next_capture()
    assert first.captured_on > target_weeks()[-1]
    # The page turned out to show only 8 weeks: the next capture must show the week before them.
    shown = assumed_days(first, 56)
    walk.record(first, shown)
    second = walk.next_capture()
    assert second.captured_on > min(shown) - dt.timedelta(days=7)
    assert second.timestamp == min(c.timestamp for c in captures if c.captured_on > min(shown) - dt.timedelta(days=7))


def test_an_unreadable_page_is_replaced_by_the_next_capture_after_the_same_week():
    """A broken capture must not leave a hole another capture can fill."""
    captures = _schedule(2)
    walk = HistoryWalk(captures)
    first = walk.next_capture()
    walk.record(first, [])
    second = walk.next_capture()
    assert second.timestamp > first.timestamp
    assert second.captured_on > target_weeks()[-1]
    assert walk.chosen == []


def test_walk_ends_with_every_week_covered_or_missing_and_never_refetches():
    """The walk must terminate, account for every week and never pay twice."""
    captures = _schedule(3)
    walk = HistoryWalk(captures)
    fetched = []
    while (capture := walk.next_capture()) is not None:
        assert capture.timestamp not in fetched
        fetched.append(capture.timestamp)
        # every third page is unreadable
        walk.record(capture, [] if len(fetched) % 3 == 0 else assumed_days(capture, 182))
    assert set(walk.covered) | set(walk.missing_weeks) == set(target_weeks())
    assert len(walk.missing_weeks) <= 2


def test_missing_weeks_are_reported_as_runs_one_reject_per_gap():
    """A gap of two years must be one readable reject, not a hundred rows."""
    from scrapers.snapshot_selection import week_runs

    weeks = target_weeks(dt.date(2019, 9, 1), dt.date(2019, 9, 22)) + [dt.date(2020, 1, 5)]
    assert week_runs(weeks) == [(dt.date(2019, 9, 1), dt.date(2019, 9, 22)), (dt.date(2020, 1, 5), dt.date(2020, 1, 5))]
    assert week_runs([]) == []
