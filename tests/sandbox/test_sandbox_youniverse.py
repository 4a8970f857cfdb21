"""The YouNiverse writer produces files a loader of the real dataset must cope with."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from datetime import date

import pytest

from sandbox import eras
from sandbox.youniverse_files import write_youniverse_files

CHANNELS_HEADER = "category_cc\tjoin_date\tchannel\tname_cc\tsubscribers_cc\tvideos_cc\tsubscriber_rank_sb\tweights"
TIMESERIES_HEADER = "channel\tcategory\tdatetime\tviews\tdelta_views\tsubs\tdelta_subs\tvideos\tdelta_videos\tactivity"


@pytest.fixture(scope="module")
def written(world, tmp_path_factory):
    folder = tmp_path_factory.mktemp("youniverse")
    return write_youniverse_files(world, folder)


def _lines(path):
    return path.read_text().splitlines()


def test_headers_are_the_real_ones(written, realdata):
    """The loader is written against the real dataset's header."""
    assert _lines(written["channels_path"])[0] == CHANNELS_HEADER
    assert _lines(written["timeseries_path"])[0] == TIMESERIES_HEADER
    assert realdata("youniverse/readme_df_timeseries_en_example.tsv").splitlines()[0] == TIMESERIES_HEADER
    assert realdata("youniverse/readme_df_channels_en_example.tsv").splitlines()[0] == CHANNELS_HEADER


def test_timeseries_is_dated_on_mondays_within_the_youniverse_era(written):
    """The real file dates weeks on Mondays; staging must shift them to Sundays."""
    rows = [line.split("\t") for line in _lines(written["timeseries_path"])[1:]]
    dates = {date.fromisoformat(r[2]) for r in rows if len(r) == 10}
    assert all(d.weekday() == 0 for d in dates)
    assert min(dates) == date(2015, 1, 5) and max(dates) == date(2019, 9, 30)
    assert len(rows) == written["timeseries_rows"]


def test_recorded_duplicates_appear_twice_in_a_row(written):
    """Staging must de-duplicate; the ground truth says which rows to expect twice."""
    lines = _lines(written["timeseries_path"])
    counts = Counter(lines[1:])
    duplicated = {tuple(line.split("\t")[0:3:2]) for line, n in counts.items() if n == 2}
    assert duplicated == {(d["channel"], d["datetime"]) for d in written["duplicates"]}
    assert len(written["duplicates"]) >= 3
    for line, n in counts.items():
        if n == 2:
            i = lines.index(line)
            assert lines[i + 1] == line


def test_recorded_shifted_rows_lack_the_category_column(written, world):
    """The real file has rows shifted by a missing category; loaders must reject, not misread, them."""
    rows = [line.split("\t") for line in _lines(written["timeseries_path"])[1:]]
    shifted = [r for r in rows if len(r) == 9]
    assert {(r[0], r[1]) for r in shifted} == {(d["channel"], d["datetime"]) for d in written["shifted"]}
    assert len(shifted) >= 3
    for r in shifted:
        assert r[1][:2] == "20" and r[2].isdigit()  # the date sits where the category should be
        assert (r[0], world.channel(r[0]).category, r[1]) not in {(x[0], x[1], x[2]) for x in rows if len(x) == 10}


def test_only_channels_that_existed_by_september_2019_are_included_with_the_extras(written, world):
    """YouNiverse was crawled in 2019: later channels cannot be in it."""
    with open(written["channels_path"], newline="") as f:
        channels = list(csv.DictReader(f, delimiter="\t"))
    ids = {c["channel"] for c in channels}
    expected = {c.channel_id for c in world.channels if c.joined_on <= eras.YOUNIVERSE_LAST}
    assert ids == expected
    assert {c.channel_id for c in world.extra_channels if c.joined_on <= eras.YOUNIVERSE_LAST} <= ids
    ranks = sorted(int(c["subscriber_rank_sb"]) for c in channels)
    assert ranks == list(range(1, len(channels) + 1))


def test_subscribers_are_exact_truth_and_deltas_are_week_on_week(written, world):
    """YouNiverse is the one unrounded source; its deltas must be consistent."""
    channel = next(c for c in world.channels if c.joined_on < date(2014, 1, 1) and not world.tweak(c.row))
    rows = [line.split("\t") for line in _lines(written["timeseries_path"])[1:]]
    mine = [r for r in rows if r[0] == channel.channel_id and len(r) == 10]
    mine = sorted({tuple(r) for r in mine}, key=lambda r: r[2])
    weekly = world.youtube_weekly(channel.channel_id, full_history=True)
    t0 = world.history_weeks.index(eras.YOUNIVERSE_FIRST)
    assert [int(r[5]) for r in mine] == weekly["subscribers"][t0:t0 + len(mine)].tolist()
    assert int(mine[0][4]) == 0
    assert all(int(b[3]) - int(a[3]) == int(b[4]) for a, b in zip(mine, mine[1:]))


def test_gzip_output_holds_the_same_rows(world, written, tmp_path):
    """The real dataset ships gzipped; both forms must carry the same rows."""
    result = write_youniverse_files(world, tmp_path, gz=True)
    assert result["timeseries_path"].name == "df_timeseries_en.tsv.gz"
    with gzip.open(result["timeseries_path"], "rt") as f:
        assert f.read() == written["timeseries_path"].read_text()
