"""The watchlist is validated where it is read: one error naming every bad line, and nothing collected."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from ingestion.watchlist import COLUMNS, WatchlistError, ids_to_collect, read_watchlist, watchlist_values
from scrapers.runner import SpiderRunError, run_spider_subprocess
from urated.settings import MissingSettingError

from .ingest_support import sandbox_stats

YT = "UCACO4dtaLXFxLY-ldiyQo3k"
YT2 = "UCcJP8iTakisQpc8KJdgsZ6e"
SP = "2CMj4nJ7r58wWSgdc1YHoV"
HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "artists.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def one_artist(tmp_path: Path, column: str, value: str) -> Path:
    cells = {"artist_id": "a1", "artist_name": "One", column: value}
    return write(tmp_path, ",".join(cells.get(c, "") for c in COLUMNS))


def problems(path: Path) -> list[str]:
    with pytest.raises(WatchlistError) as raised:
        read_watchlist(path)
    return raised.value.problems


def test_a_valid_watchlist_gives_each_columns_ids_in_file_order_blanks_skipped(tmp_path):
    path = write(tmp_path, f"a2,Two,{YT2},,two.music", f"a1,One,{YT},{SP},", "", f"a3,Three,,,three_")
    assert watchlist_values("youtube_channel_id", path) == [YT2, YT]
    assert watchlist_values("instagram_username", path) == ["two.music", "three_"]
    assert [row["artist_id"] for row in read_watchlist(path)] == ["a2", "a1", "a3"]


def test_wrong_columns_are_one_error_naming_the_missing_ones_and_what_was_found(tmp_path):
    path = write(tmp_path, f"a1,One,{YT}", header="id,name,youtube_channel_id")
    assert problems(path) == [
        "line 1: missing column artist_id, artist_name, spotify_artist_id, instagram_username "
        "(found id, name instead); the header must name " + ", ".join(COLUMNS)]


def test_a_repeated_artist_is_named_with_the_line_it_repeats(tmp_path):
    path = write(tmp_path, f"a1,One,{YT},,", f"a1,Again,{YT2},,")
    assert problems(path) == ["line 3: artist_id 'a1' repeats line 2"]


def test_a_repeated_account_is_an_error_instagram_case_insensitively(tmp_path):
    path = write(tmp_path, f"a1,One,{YT},,Alpha.Music", f"a2,Two,{YT},,alpha.music")
    assert problems(path) == ["line 3: youtube_channel_id 'UCACO4dtaLXFxLY-ldiyQo3k' repeats line 2",
                              "line 3: instagram_username 'alpha.music' repeats line 2"]


@pytest.mark.parametrize(("column", "value"), [
    ("youtube_channel_id", "not-a-channel"),
    ("youtube_channel_id", "UC" + "x" * 21),  # one character short
    ("youtube_channel_id", "UX" + "x" * 22),
    ("spotify_artist_id", "2CMj4nJ7r58wWSgdc1YHo-"),  # '-' is not base 62
    ("spotify_artist_id", SP + "a"),
    ("instagram_username", ".leading"),
    ("instagram_username", "trailing."),
    ("instagram_username", "two..dots"),
    ("instagram_username", "has space"),
    ("instagram_username", "x" * 31),
])
def test_an_id_that_cannot_be_the_platforms_is_named_with_its_line_and_the_rule(tmp_path, column, value):
    [problem] = problems(one_artist(tmp_path, column, value))
    assert problem.startswith(f"line 2: {column} {value!r} is not valid (")


@pytest.mark.parametrize(("column", "value"), [
    ("youtube_channel_id", "UC_x5XG1OV2P6uZZ5FSM9Ttw"),  # Google Developers, from the real recordings
    ("spotify_artist_id", "0TnOYISbd1XYRBk9myaseg"),  # Pitbull
    ("instagram_username", "a"),
    ("instagram_username", "the.real_one.2"),
    ("instagram_username", "x" * 30),
])
def test_real_shaped_ids_pass(tmp_path, column, value):
    assert watchlist_values(column, one_artist(tmp_path, column, value)) == [value]


def test_every_bad_line_is_listed_at_once_not_only_the_first(tmp_path):
    path = write(tmp_path, f"a1,One,{YT},,", f"a1,Dup,not-a-channel,,", ",No id,,,", "a4,Short,")
    assert [p.split(":")[0] for p in problems(path)] == ["line 3", "line 3", "line 4", "line 5"]


def test_an_artist_without_an_id_is_an_error_not_a_dropped_line(tmp_path):
    assert problems(write(tmp_path, f",Nameless,{YT},,")) == ["line 2: artist_id is blank"]


def test_a_watchlist_with_no_artist_is_an_error(tmp_path):
    assert problems(write(tmp_path)) == ["lists no artist: add one line per artist under the header"]


def test_the_error_message_names_the_file_the_setting_and_that_nothing_is_collected(tmp_path):
    path = write(tmp_path, "a1,One,not-a-channel,,")
    with pytest.raises(WatchlistError, match=r"The watchlist .*artists\.csv \(URATED_ARTISTS\) cannot be used, "
                                             r"so nothing is collected \(1 problem\):\n  line 2: "):
        read_watchlist(path)


def test_without_a_watchlist_setting_collection_stops_naming_the_variable(monkeypatch):
    monkeypatch.delenv("URATED_ARTISTS", raising=False)
    with pytest.raises(MissingSettingError, match="URATED_ARTISTS is not set"):
        watchlist_values("youtube_channel_id")


def test_ids_given_directly_are_checked_against_the_same_formats_and_deduplicated():
    assert ids_to_collect("youtube_channel_id", [YT, f" {YT} ", YT2]) == [YT, YT2]
    with pytest.raises(WatchlistError, match="youtube_channel_id 'not-a-channel' is not valid"):
        ids_to_collect("youtube_channel_id", [YT, "not-a-channel"])


def _causes(exc: BaseException) -> list[BaseException]:
    chain = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


@pytest.mark.parametrize("source", ["youtube", "spotify", "instagram", "viewstats", "wayback"])
def test_no_source_sends_a_request_for_a_watchlist_that_fails(sb, run, tmp_path, monkeypatch, source):
    monkeypatch.setenv("URATED_ARTISTS", str(write(tmp_path, f"a1,One,{YT},,", "a2,Two,not-a-channel,,")))
    factory = getattr(importlib.import_module(f"ingestion.{source}"), f"{source}_source")
    with pytest.raises(Exception) as raised:
        run(source, factory())
    assert any(isinstance(e, WatchlistError) for e in _causes(raised.value))
    assert sum(sandbox_stats(sb)["requests"].values()) == 0


@pytest.mark.parametrize("spider", ["socialblade", "spotify_pages"])
def test_no_spider_sends_a_request_for_a_watchlist_that_fails(sb, tmp_path, monkeypatch, spider):
    monkeypatch.setenv("URATED_ARTISTS", str(write(tmp_path, f"a1,One,{YT},{SP},", f"a2,Two,{YT2},{SP},")))
    with pytest.raises(SpiderRunError, match=f"spotify_artist_id '{SP}' repeats line 2"):
        run_spider_subprocess(spider, timeout=120)
    assert sum(sandbox_stats(sb)["requests"].values()) == 0
