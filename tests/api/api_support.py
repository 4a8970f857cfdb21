"""Helpers of the API tests: the published fixture world, republishing a change, a live server.

The warehouse is the transform tests' raw fixture (tests/transform/raw_fixture.py:
art_alpha, art_beta's bought-subscriber spike, art_gamma's broken junctions, an
unlisted YouNiverse channel and a terminated Spotify artist) after a real
`dbt build`, published with `urated.warehouse.publish()` exactly as a
run publishes it. Tests compare the API's answers with SQL on that snapshot.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import pytest

from urated import settings, warehouse

from ..transform import raw_fixture
from ..transform.dbt_cli import WAREHOUSE_FILE, WATCHLIST_FILE, run_dbt

GENEROUS_RATE = "1000000/minute"


@dataclass
class ApiWorld:
    folder: Path
    warehouse: Path
    world: raw_fixture.RawWorld

    def sql(self, query: str, params=None) -> list[tuple]:
        """Direct SQL on the published snapshot: what the API's answers must equal."""
        with warehouse.read_snapshot() as con:
            return con.execute(query, params or []).fetchall()

    def sql_dicts(self, query: str, params=None) -> list[dict]:
        with warehouse.read_snapshot() as con:
            result = con.execute(query, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, row)) for row in result.fetchall()]


def build_published_world(folder: Path) -> ApiWorld:
    """Raw fixture → dbt build → published reader copy, all inside ``folder``."""
    raw_fixture.write_watchlist(folder / WATCHLIST_FILE)
    world = raw_fixture.build_raw_warehouse(folder / WAREHOUSE_FILE)
    build = run_dbt(["build"], folder)
    assert build.returncode == 0, build.output[-3000:]
    with pytest.MonkeyPatch.context() as env:
        env.setenv(settings.WAREHOUSE_VAR, str(folder / WAREHOUSE_FILE))
        warehouse.publish()
    return ApiWorld(folder=folder, warehouse=folder / WAREHOUSE_FILE, world=world)


def change_and_publish(world: ApiWorld, statement: str, params=None) -> None:
    """Write to the warehouse (as a build would) and publish it: the API must then serve the change."""
    with duckdb.connect(str(world.warehouse)) as con:
        con.execute(statement, params or [])
    time.sleep(0.01)  # a new file with a new mtime even on coarse clocks
    warehouse.publish()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_live_server(folder: Path, env_overrides: dict[str, str] | None = None) -> LiveServer:
    """`python -m api serve` on a free loopback port (what `make api` runs), reading the current settings."""
    port = free_port()
    log = folder / f"api_{port}.log"
    env = {**os.environ, settings.API_HOST_VAR: "127.0.0.1", settings.API_PORT_VAR: str(port), **(env_overrides or {})}
    process = subprocess.Popen([sys.executable, "-m", "api", "serve"], cwd=settings.PROJECT_ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the API exited:\n" + log.read_text()[-3000:])
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return LiveServer(url=url, process=process, log=log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the API did not answer within 60 s:\n" + log.read_text()[-3000:])


def stop_live_server(server: LiveServer) -> None:
    server.process.terminate()
    server.process.wait(timeout=30)
