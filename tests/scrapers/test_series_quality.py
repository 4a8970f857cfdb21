"""The enrichment spec's weekly rules as applied to every scraped series, and the later-snapshot-wins rule."""

from __future__ import annotations

import datetime as dt

from scrapers.items import SocialBladePoint
from scrapers.pipelines import finalize_channel
from scrapers.quality import point_qualities, series_quality

START = dt.date(2019, 9, 1)


def _weeks(n: int, step_days: int = 7) -> list[dt.date]:
    return [START + dt.timedelta(days=step_days * i) for i in range(n)]


def test_a_hundred_weekly_points_is_full_quality():
    """The spec's threshold for full quality is 100 weekly points."""
    assert series_quality(_weeks(100)) == "full"


def test_ninety_nine_weekly_points_is_partial():
    """Just under the threshold is not full."""
    assert series_quality(_weeks(99)) == "partial"


def test_a_fortnightly_series_is_irregular_however_long():
    """Mean interval outside 6–8 days breaks weekly alignment, whatever the length."""
    assert series_quality(_weeks(150, step_days=14)) == "irregular"


def test_a_subscriber_drop_of_more_than_ten_percent_is_flagged_on_that_point_only():
    """Drops are kept (purges happen) but must be visible, on the week they happen."""
    series = list(zip(_weeks(120), [1000] * 50 + [880] + [900] * 69))
    flags = point_qualities("subscribers", series)
    assert flags[50] == "suspicious_drop"
    assert flags.count("suspicious_drop") == 1
    assert flags[49] == flags[51] == "full"


def test_a_drop_of_exactly_ten_percent_is_not_flagged():
    """The rule is 'more than 10 %'."""
    flags = point_qualities("subscribers", list(zip(_weeks(3), [1000, 900, 900])))
    assert "suspicious_drop" not in flags


def test_views_going_down_are_not_a_subscriber_drop():
    """The drop rule is about subscribers only."""
    flags = point_qualities("views", list(zip(_weeks(3), [1000, 500, 600])))
    assert "suspicious_drop" not in flags


def _point(day: dt.date, value: int, taken: str) -> SocialBladePoint:
    ts = dt.datetime.strptime(taken, "%Y%m%d").replace(tzinfo=dt.timezone.utc)
    return SocialBladePoint("UC1", "subscribers", day, value, ts, f"https://web.archive.org/web/{taken}000000/x", "csv")


def test_when_two_snapshots_give_the_same_week_the_later_snapshot_wins():
    """Later captures carry Social Blade's corrections of earlier weeks."""
    day = dt.date(2020, 1, 5)
    rows = finalize_channel([_point(day, 120, "20200301"), _point(day, 100, "20200110"), _point(day, 110, "20200201")])
    assert len(rows) == 1
    assert rows[0]["value"] == 120
    assert rows[0]["snapshot_url"].startswith("https://web.archive.org/web/20200301")


def test_finalized_rows_carry_lineage_and_a_quality_flag():
    """Every stored point must say where it came from and how much to trust it."""
    rows = finalize_channel([_point(d, 1000 + i, "20200301") for i, d in enumerate(_weeks(10))])
    assert {r["quality"] for r in rows} == {"partial"}
    assert all(r["snapshot_timestamp"].year == 2020 and r["parser"] == "csv" for r in rows)
