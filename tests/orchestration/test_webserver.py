"""The Dagster UI as an analyst meets it: served on loopback, listing assets, checks, schedules, sensors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from urated import settings

pytestmark = pytest.mark.slow

GRAPHQL_QUERY = """
{
  assetNodes { assetKey { path } description hasAssetChecks }
  workspaceOrError { ... on Workspace { locationEntries { name } } }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes { name schedules { name } sensors { name } }
    }
  }
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    port = free_port()
    log = (home / "webserver.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-webserver")), "-w", str(settings.PROJECT_ROOT / "workspace.yaml"),
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=settings.PROJECT_ROOT, env={**os.environ, "DAGSTER_HOME": str(home)},
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/server_info", timeout=2).status_code == 200 and _location_loaded(url):
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                pytest.fail("dagster-webserver exited:\n" + (home / "webserver.log").read_text()[-3000:])
            time.sleep(1)
        else:
            pytest.fail("dagster-webserver did not load the code location in 120 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _location_loaded(url: str) -> bool:
    data = httpx.post(f"{url}/graphql", json={"query": "{ assetNodes { id } }"}, timeout=10).json()
    return bool(data.get("data", {}).get("assetNodes"))


def graphql(url: str) -> dict:
    response = httpx.post(f"{url}/graphql", json={"query": GRAPHQL_QUERY}, timeout=30)
    response.raise_for_status()
    return response.json()["data"]


def test_graphql_lists_assets_with_descriptions(webserver):
    nodes = graphql(webserver)["assetNodes"]
    keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
    assert {"raw/youtube/channels", "marts/fct_growth", "marts/dim_artists"} <= keys
    assert [k for k in keys if not next(n for n in nodes if "/".join(n["assetKey"]["path"]) == k)["description"]] == []


def test_graphql_shows_checks_on_the_marts(webserver):
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(webserver)["assetNodes"]}
    assert nodes["marts/fct_growth"]["hasAssetChecks"]


def test_graphql_lists_schedules_and_sensors(webserver):
    (repo,) = graphql(webserver)["repositoriesOrError"]["nodes"]
    assert {"daily_collection_schedule", "weekly_history_schedule"} <= {s["name"] for s in repo["schedules"]}
    assert {"marts_automation", "alerts_sensor", "dead_run_recovery"} <= {s["name"] for s in repo["sensors"]}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(chromium() is None, reason="Debian's chromium is not installed here (.ci/run installs it)")
def test_headless_chromium_renders_the_asset_graph(webserver, tmp_path):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=20000",
             # The graph renders only the nodes in view: a large window fits the whole marts group.
             "--window-size=2400,1800"]
    page = f"{webserver}/locations/urated/asset-groups/marts"  # one group, its assets expanded
    shot = tmp_path / "asset_graph.png"
    subprocess.run([chromium(), *flags, f"--screenshot={shot}", page], check=True, capture_output=True, timeout=120)
    dom = subprocess.run([chromium(), *flags, "--dump-dom", page], check=True, capture_output=True,
                         text=True, timeout=120).stdout
    (settings.DATA_DIR / "ui_screenshots").mkdir(parents=True, exist_ok=True)
    (settings.DATA_DIR / "ui_screenshots" / "asset_graph.png").write_bytes(shot.read_bytes())  # for a human to look at
    assert shot.stat().st_size > 10_000
    assert "fct_growth" in dom and "dim_artists" in dom
