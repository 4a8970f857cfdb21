"""DuckDB's single writer: two writing runs launched at once both succeed, queued by pool `duckdb`,
while an analyst's reader queries the published copy throughout without an error."""

from __future__ import annotations

import os
import threading
import time

import dagster as dg
import duckdb
import pytest

from urated import warehouse

from ..dagster_runs import launch, step_windows

pytestmark = pytest.mark.slow

def test_two_writers_queue_on_the_pool_while_a_reader_keeps_reading(tmp_path, monkeypatch):
    from orchestration.instance import prepare_instance
    from sandbox.world import build_world, write_watchlist
    from sandbox.youniverse_files import write_youniverse_files

    world = build_world(seed=5, n_artists=60)
    monkeypatch.setenv("URATED_ARTISTS", str(write_watchlist(world, tmp_path / "artists.csv")))
    write_youniverse_files(world, tmp_path / "youniverse")
    monkeypatch.setenv("URATED_YOUNIVERSE_DIR", str(tmp_path / "youniverse"))
    prepare_instance()  # DAGSTER_HOME (tmp, from conftest) gets pool duckdb = 1 slot
    with warehouse.connect() as con:
        con.execute("create schema marts; create table marts.readiness as select 1 as ok")
    warehouse.publish()

    reads, errors, stop = [], [], threading.Event()

    def analyst():
        while not stop.is_set():
            try:
                with warehouse.read_snapshot() as con:
                    reads.append(con.execute("select count(*) from information_schema.tables").fetchone()[0])
            except duckdb.Error as exc:  # what an analyst would see
                errors.append(repr(exc))
            time.sleep(0.05)

    reader = threading.Thread(target=analyst)
    reader.start()
    env = dict(os.environ)
    with (tmp_path / "history.log").open("w") as a_log, (tmp_path / "marts.log").open("w") as b_log:
        history = launch("weekly_history", ["raw/youniverse/channels", "raw/youniverse/timeseries"], env, a_log)
        marts = launch("mart_rebuild", [], env, b_log)
        codes = history.wait(timeout=300), marts.wait(timeout=300)
    stop.set()
    reader.join()

    assert codes == (0, 0), (tmp_path / "history.log").read_text()[-2500:] + (tmp_path / "marts.log").read_text()[-1500:]
    assert errors == []
    assert len(reads) > 20
    windows = step_windows(dg.DagsterInstance.get())
    assert len(windows) == 2  # one step each: the YouNiverse load, the dbt build
    (first_start, first_end), (second_start, _) = windows
    assert second_start >= first_end  # never two writers at once
    with warehouse.read_snapshot() as con:
        assert con.execute("select count(*) from marts.dim_artists").fetchone()[0] >= len(world.artists)
