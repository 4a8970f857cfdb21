"""The weekly refresh: a later file merged by dlt into the loaded history, one key one row, atomically visible."""

from __future__ import annotations

import pytest

from ingestion.youniverse import append_timeseries, load_youniverse

from .ingest_support import query, table_exists
from .test_ingest_youniverse import CHANNEL, _with_timeseries, readme_folder  # noqa: F401 (a fixture)

# The week after the README example's last one.
NEXT_WEEK = f"{CHANNEL}\tFilm and Animation\t2017-07-24\t900000\t64606\t1600\t99\t7\t1\t1"


@pytest.fixture
def loaded(readme_folder, tmp_path):
    """The dlt state folder of a warehouse holding the README example history: one channel, 2017-07-03 .. 2017-07-17."""
    load_youniverse(readme_folder, pipelines_dir=tmp_path / "dlt")
    return tmp_path / "dlt"


def _week_file(tmp_path, *lines: str):
    return _with_timeseries(tmp_path / "week", *lines) / "df_timeseries_en.tsv"


def test_a_new_week_is_appended_and_visible_through_a_completed_load(loaded, tmp_path):
    week = _week_file(tmp_path, NEXT_WEEK)
    result = append_timeseries(week, pipelines_dir=loaded)
    assert (result["rows"], result["replaced"]) == (1, 0)
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(4,)]
    assert query("SELECT l.status FROM raw_youniverse.timeseries t JOIN raw_youniverse._dlt_loads l "
                 "ON l.load_id = t._dlt_load_id WHERE t.observed_on = DATE '2017-07-24'") == [(0,)]


def test_a_row_for_an_existing_channel_and_date_replaces_it(loaded, tmp_path):
    week = _week_file(tmp_path, f"{CHANNEL}\tFilm and Animation\t2017-07-17\t840000\t446914\t1510\t465\t6\t0\t1")
    result = append_timeseries(week, pipelines_dir=loaded)
    assert result["replaced"] == 1
    assert query("SELECT views, subs, _dlt_load_id FROM raw_youniverse.timeseries "
                 "WHERE observed_on = DATE '2017-07-17'") == [(840000.0, 1510.0, result["load_id"])]
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(3,)]


def test_appending_the_same_week_twice_adds_no_rows(loaded, tmp_path):
    week = _week_file(tmp_path, NEXT_WEEK)
    append_timeseries(week, pipelines_dir=loaded)
    again = append_timeseries(week, pipelines_dir=loaded)
    assert (again["rows"], again["replaced"]) == (1, 1)
    assert query("SELECT count(*), count(DISTINCT (channel_id, observed_on)) FROM raw_youniverse.timeseries") == \
        [(4, 4)]


def test_shifted_lines_of_the_week_are_rejected_under_its_load_id(loaded, tmp_path):
    week = _week_file(tmp_path, NEXT_WEEK,
                      f"{CHANNEL}\t2017-07-24\t900000\t64606\t1600\t99\t7\t1\t1")
    result = append_timeseries(week, pipelines_dir=loaded)
    assert result["rejects"] == 1
    [(reason,)] = query(f"SELECT reason FROM raw_youniverse.rejects WHERE _dlt_load_id = '{result['load_id']}'")
    assert "column" in reason.lower()
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(4,)]


def test_appending_before_any_history_load_fails_says_why_and_loads_nothing(tmp_path):
    week = _week_file(tmp_path, NEXT_WEEK)
    with pytest.raises(RuntimeError, match="load the history before appending"):
        append_timeseries(week, pipelines_dir=tmp_path / "dlt")
    assert not table_exists("raw_youniverse", "timeseries")


def test_the_append_finds_the_history_in_the_warehouse_when_the_local_dlt_state_is_gone(loaded, tmp_path):
    week = _week_file(tmp_path, NEXT_WEEK)
    result = append_timeseries(week, pipelines_dir=tmp_path / "fresh_dlt")
    assert result["rows"] == 1
    assert query("SELECT count(*) FROM raw_youniverse.timeseries") == [(4,)]
