"""The OpenAPI document describes everything, and /docs renders it with no network (local assets)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from urated import settings

from .api_support import start_live_server, stop_live_server

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build


def test_every_route_parameter_and_response_is_described(make_client):
    spec = make_client().get("/openapi.json").json()
    missing = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            if not operation.get("summary") or not operation.get("description"):
                missing.append(f"{where}: summary/description")
            missing += [f"{where} ?{p['name']}" for p in operation.get("parameters", []) if not p.get("description")]
            missing += [f"{where} -> {code}" for code, r in operation["responses"].items() if not r.get("description")]
            codes = set(operation["responses"])
            expected = {"200", "304", "429"} | (set() if path == "/v1/health" else {"401", "422", "503"})
            if "{artist_id}" in path:
                expected.add("404")
            missing += [f"{where} lacks {code}" for code in expected - codes]
    for name, component in spec["components"]["schemas"].items():
        if component.get("type") == "object":
            missing += [f"{name}.{field}" for field, prop in component.get("properties", {}).items() if not prop.get("description")]
    assert missing == []
    assert set(spec["components"]["securitySchemes"]) == {"ApiKeyHeader", "BearerKey"}


def test_the_docs_page_loads_only_local_assets(make_client):
    api = make_client()
    page = api.get("/docs").text
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page) + re.findall(r"url: ?['\"]([^'\"]+)", page)
    assert assets and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert api.get(asset).status_code == 200, asset
    assert not re.search(r"https?://", page.replace("https://swagger.io", ""))


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def live_api(tmp_path):
    server = start_live_server(tmp_path)
    yield server
    stop_live_server(server)


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="Debian's chromium is not installed here (.ci/run installs it)")
def test_headless_chromium_renders_the_routes_offline(live_api, tmp_path):
    # No proxy can be reached and every other host is refused, so only loopback assets can load.
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--proxy-server=http://127.0.0.1:9",
             "--proxy-bypass-list=127.0.0.1", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=15000", "--window-size=1400,2400"]
    page = f"{live_api.url}/docs"
    shot = tmp_path / "docs.png"
    subprocess.run([chromium(), *flags, f"--screenshot={shot}", page], check=True, capture_output=True, timeout=120)
    dom = subprocess.run([chromium(), *flags, "--dump-dom", page], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    (settings.DATA_DIR / "ui_screenshots").mkdir(parents=True, exist_ok=True)
    (settings.DATA_DIR / "ui_screenshots" / "api_docs.png").write_bytes(shot.read_bytes())  # for a human to look at
    assert shot.stat().st_size > 10_000
    for route in ("/v1/artists/top", "/v1/artists/{artist_id}/metrics", "/v1/anomalies", "/v1/health"):
        assert f'data-path="{route}"' in dom, route
