"""Readers and writers at once, and writers that die: on both storage targets.

The warehouse is the transform fixture's raw world (tests/transform/raw_fixture.py),
built with the real dbt CLI and published as Dagster's build asset does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.dbt_project import dbt_command, dbt_vars
from urated import settings, storage, warehouse

from ..dagster_runs import launch, step_windows
from ..transform import raw_fixture

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# The mart every check compares: a table whose rows change when the late load lands.
CHECKSUM_SQL = """
    select count(*), coalesce(sum(hash(artist_id, platform, metric, period, as_of, value_start, value_end)), 0)
    from marts.fct_growth
"""

READER = """
import json, sys, time
from pathlib import Path
from urated import warehouse
stop = Path(sys.argv[1])
while not stop.exists():
    try:
        with warehouse.read_snapshot() as con:
            row = con.execute(sys.argv[2]).fetchone()
        print(json.dumps({"read": list(row)}), flush=True)
    except Exception as exc:  # what an analyst would see
        print(json.dumps({"error": repr(exc)}), flush=True)
    time.sleep(0.05)
"""

MART_BUILD = """
import sys, dagster as dg
from orchestration.demo import materialize_everything
result = materialize_everything(job_name="mart_rebuild")
sys.exit(0 if result.success else 1)
"""


def dbt_build(target: storage.Target, folder: Path, *args: str) -> None:
    completed = subprocess.run(
        dbt_command("build", *args, target_path=folder / "dbt_target",
                    vars=dbt_vars(target, str(folder / "artists.csv"))),
        cwd=folder, capture_output=True, text=True, env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    assert completed.returncode == 0, completed.stdout[-3000:]


def checksum() -> tuple[int, int]:
    with warehouse.read_snapshot() as con:
        return tuple(con.execute(CHECKSUM_SQL).fetchone())


@pytest.fixture
def fixture_warehouse(any_target, tmp_path):
    """The raw fixture in the chosen target, built once and published."""
    raw_fixture.write_watchlist(tmp_path / "artists.csv")
    raw_fixture.build_raw_warehouse(any_target)
    dbt_build(any_target, tmp_path)
    any_target.publish("first build")
    return any_target


def test_readers_during_a_build_see_the_whole_previous_build_or_the_whole_new_one(fixture_warehouse, tmp_path):
    before = checksum()
    raw_fixture.add_late_load(fixture_warehouse)
    stop = tmp_path / "stop-reading"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(stop), CHECKSUM_SQL], cwd=settings.PROJECT_ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(2)  # reading before the build starts
        dbt_build(fixture_warehouse, tmp_path)
        fixture_warehouse.publish("second build")
        time.sleep(3)  # reading after the publish
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=60)
    after = checksum()
    lines = [json.loads(line) for line in output.splitlines()]
    errors = [line["error"] for line in lines if "error" in line]
    reads = [tuple(line["read"]) for line in lines if "read" in line]
    assert before != after
    assert errors == []
    assert len(reads) >= 5
    assert set(reads) <= {before, after}
    assert reads[0] == before and reads[-1] == after


def test_a_writer_killed_mid_build_leaves_readers_on_the_last_build_and_the_next_run_completes(
        fixture_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("URATED_ARTISTS", str(tmp_path / "artists.csv"))
    published = checksum()
    raw_fixture.add_late_load(fixture_warehouse)
    log = (tmp_path / "killed.log").open("w")
    victim = subprocess.Popen([sys.executable, "-c", MART_BUILD], cwd=settings.PROJECT_ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_a_dbt_model(started_after=time.time() - 1, timeout=300)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # the demo, its dbt and everything they started
        victim.wait()
    assert checksum() == published  # readers stay on the last published build
    with dg.DagsterInstance.get() as instance:
        (stuck,) = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))

    rerun = subprocess.run([sys.executable, "-c", MART_BUILD], cwd=settings.PROJECT_ROOT, capture_output=True,
                           text=True, timeout=600)

    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    assert "Recovered 1 run(s) whose process was gone" in rerun.stdout
    with dg.DagsterInstance.get() as instance:
        assert instance.get_run_by_id(stuck.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.event_log_storage.get_concurrency_info("duckdb").active_slot_count == 0
    rebuilt = checksum()
    assert rebuilt != published
    dbt_build(fixture_warehouse, tmp_path, "--full-refresh")  # what an uninterrupted build gives
    fixture_warehouse.publish("reference")
    assert checksum() == rebuilt


def wait_for_a_dbt_model(started_after: float, timeout: float) -> None:
    """Block until the run's dbt build has created a few models (it is mid-build).

    Read from dbt's own log, which dbt writes as it goes, in the invocation's target folder.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = [p for p in (settings.TRANSFORM_DIR / "target").glob("dbt_models-*/dbt.log")
                if p.stat().st_mtime >= started_after]
        if any(p.read_text(errors="replace").count("OK created") >= 3 for p in logs):
            return
        time.sleep(0.2)
    raise AssertionError("the dbt build never got going")


def test_two_collection_writers_on_a_postgres_catalog_commit_side_by_side(postgres_catalog, tmp_path, monkeypatch):
    from sandbox.server import start_sandbox
    from sandbox.world import build_world, write_watchlist

    from orchestration.instance import prepare_instance

    world = build_world(seed=5, n_artists=60)
    monkeypatch.setenv("URATED_ARTISTS", str(write_watchlist(world, tmp_path / "artists.csv")))
    prepare_instance()  # once, before two processes open it: the pool gets the lake's slots
    with start_sandbox(world=world) as sandbox:
        env = {**os.environ, **sandbox.env()}
        with (tmp_path / "youtube.log").open("w") as a, (tmp_path / "spotify.log").open("w") as b:
            youtube = launch("daily_collection", ["raw/youtube/channels"], env, a)
            spotify = launch("daily_collection", ["raw/spotify/artists", "raw/spotify/albums", "raw/spotify/tracks"],
                             env, b)
            codes = youtube.wait(timeout=600), spotify.wait(timeout=600)
    logs = (tmp_path / "youtube.log").read_text()[-2000:] + (tmp_path / "spotify.log").read_text()[-2000:]
    assert codes == (0, 0), logs
    with dg.DagsterInstance.get() as instance:
        (first_start, first_end), (second_start, _) = step_windows(instance)
        assert instance.event_log_storage.get_concurrency_info("duckdb").slot_count == 4
    assert second_start < first_end  # the writers overlapped: neither queued behind the other
    channels = {a.youtube_channel_id for a in world.artists if a.youtube_channel_id}
    artists = {a.spotify_artist_id for a in world.artists if a.spotify_artist_id}
    with warehouse.connect(read_only=True) as con:
        youtube_rows = con.execute("select channel_id, count(*) from raw_youtube.channels group by all").fetchall()
        spotify_rows = con.execute("select artist_id, count(*) from raw_spotify.artists group by all").fetchall()
    assert {c for c, _ in youtube_rows} == channels and {n for _, n in youtube_rows} == {1}
    assert {a for a, _ in spotify_rows} == artists and {n for _, n in spotify_rows} == {1}
