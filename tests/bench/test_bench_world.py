"""The benchmark's world files: ten years in YouNiverse format, with the latest week held back.

Why: the weekly refresh is only honest if the new week is really new (absent from
the history) and the history spans exactly the weeks asked for.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from bench.config import BenchConfig
from bench.generate import generate_world
from sandbox.world import build_world
from sandbox.youniverse_files import write_youniverse_files


def _dates(path) -> set[str]:
    with open(path, newline="") as f:
        return {row["datetime"] for row in csv.DictReader(f, delimiter="\t") if row["datetime"][:2] == "20"}


def test_full_history_writes_the_requested_weeks_ending_at_until_dated_on_mondays(tmp_path):
    world = build_world(seed=3, n_artists=20, today=date(2026, 11, 15))
    result = write_youniverse_files(world, tmp_path, full_history=True, n_weeks=10, until=world.weeks[-2])
    expected = {(world.weeks[-2] - timedelta(weeks=k) + timedelta(days=1)).isoformat() for k in range(10)}
    assert _dates(result["timeseries_path"]) == expected


def test_full_history_defaults_to_the_worlds_520_weeks(tmp_path):
    world = build_world(seed=3, n_artists=20, today=date(2026, 11, 15))
    result = write_youniverse_files(world, tmp_path, full_history=True)
    dates = sorted(_dates(result["timeseries_path"]))
    assert len(dates) == 520
    assert dates[-1] == (world.weeks[-1] + timedelta(days=1)).isoformat()


def test_week_options_without_full_history_are_refused(tmp_path):
    world = build_world(seed=3, n_artists=20, today=date(2026, 11, 15))
    with pytest.raises(ValueError, match="full_history"):
        write_youniverse_files(world, tmp_path, n_weeks=10)


def test_the_held_back_week_is_absent_from_the_history_and_present_for_every_channel(tmp_path):
    config = BenchConfig(channels=60, weeks=30, workdir=str(tmp_path))
    written = generate_world(config)
    history = _dates(config.history_dir / "df_timeseries_en.tsv")
    new_week = _dates(config.new_week_dir / "df_timeseries_en.tsv")
    assert new_week == {(date.fromisoformat(written["new_week"]) + timedelta(days=1)).isoformat()}
    assert not history & new_week
    assert len(history) == 30
    assert written["new_week_rows"] >= written["channels"] - 10  # channels joined by then, plus quirks
