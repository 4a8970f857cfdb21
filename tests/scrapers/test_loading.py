"""Loading scraped rows through dlt: merge on natural keys (re-runs add nothing), rejects keep their page URL."""

from __future__ import annotations

import datetime as dt

import duckdb

from scrapers.loading import load_rows, reject_record

TAKEN = dt.datetime(2020, 7, 7, 14, 32, tzinfo=dt.timezone.utc)


def _point(day: dt.date, value: int) -> dict:
    return {"channel_id": "UC1", "metric": "subscribers", "observed_on": day, "value": value,
            "snapshot_timestamp": TAKEN, "snapshot_url": "http://127.0.0.1/wayback/web/20200707143207/x",
            "parser": "highcharts", "quality": "partial"}


def test_loading_the_same_points_twice_leaves_one_row_per_natural_key(tmp_path, isolated_warehouse):
    """Re-runs are routine (schedules, retries); they must not duplicate history."""
    rows = [_point(dt.date(2020, 1, 5) + dt.timedelta(weeks=i), 1000 + i) for i in range(5)]
    load_rows("socialblade", rows, [], tmp_path / "dlt")
    load_rows("socialblade", rows, [], tmp_path / "dlt")
    with duckdb.connect(str(isolated_warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw_socialblade.points").fetchone()[0] == 5
        assert con.execute("select typeof(observed_on) from raw_socialblade.points limit 1").fetchone()[0] == "DATE"


def test_a_reloaded_week_takes_the_new_value(tmp_path, isolated_warehouse):
    """Merge replaces: a corrected later capture overwrites what an earlier run stored."""
    day = dt.date(2020, 1, 5)
    load_rows("socialblade", [_point(day, 1000)], [], tmp_path / "dlt")
    load_rows("socialblade", [_point(day, 1010)], [], tmp_path / "dlt")
    with duckdb.connect(str(isolated_warehouse), read_only=True) as con:
        assert con.execute("select value from raw_socialblade.points").fetchall() == [(1010,)]


def test_rejects_land_in_the_datasets_rejects_table_with_url_and_reason(tmp_path, isolated_warehouse):
    """A reject without its URL cannot be re-fetched or investigated."""
    reject = reject_record("socialblade", "<html>…", "no known chart layout found", TAKEN,
                           "http://127.0.0.1/wayback/web/20200707143207/x", "UC1")
    loaded = load_rows("socialblade", [], [reject], tmp_path / "dlt")
    with duckdb.connect(str(isolated_warehouse), read_only=True) as con:
        row = con.execute("select source, reason, snapshot_url, key from raw_socialblade.rejects").fetchall()
    assert loaded == 1
    assert row == [("socialblade", "no known chart layout found", "http://127.0.0.1/wayback/web/20200707143207/x",
                    "UC1")]


def test_a_page_still_broken_on_the_next_crawl_keeps_one_reject_row(tmp_path, isolated_warehouse):
    """Rejects are facts about pages: crawling the same broken capture twice must not double them."""
    url = "http://127.0.0.1/wayback/web/20200707143207/x"
    first = reject_record("socialblade", "<html>…", "no known chart layout found", TAKEN, url, "UC1")
    again = reject_record("socialblade", "<html>…", "no known chart layout found", TAKEN + dt.timedelta(days=7), url, "UC1")
    load_rows("socialblade", [], [first], tmp_path / "dlt")
    load_rows("socialblade", [], [again], tmp_path / "dlt")
    with duckdb.connect(str(isolated_warehouse), read_only=True) as con:
        rows = con.execute("select rejected_at from raw_socialblade.rejects").fetchall()
    assert len(rows) == 1
    assert rows[0][0].date() == (TAKEN + dt.timedelta(days=7)).date()


def test_a_reject_names_the_capture_on_the_real_archive_whichever_host_served_it(monkeypatch):
    """The sandbox listens on a new port each run: the same broken capture must keep the same identity."""
    monkeypatch.setenv("URATED_WAYBACK_URL", "http://127.0.0.1:45567/wayback")
    served = "http://127.0.0.1:45567/wayback/web/20210120133648/https://socialblade.com/youtube/channel/UC1/monthly"
    row = reject_record("socialblade", "<html>", "no known chart layout found", TAKEN, served, "UC1")
    assert row["snapshot_url"] == "https://web.archive.org/web/20210120133648/https://socialblade.com/youtube/channel/UC1/monthly"

