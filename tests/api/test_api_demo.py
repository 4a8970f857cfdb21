"""`make demo` ends with one curl line whose key works; a running server answers it without the key in its logs."""

from __future__ import annotations

import shlex

import httpx
import pytest

from api.demo import demo_curl_line

from .api_support import start_live_server, stop_live_server

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build


def key_of(line: str) -> tuple[str, str]:
    words = shlex.split(line)
    header = words[words.index("-H") + 1]
    return header.removeprefix("X-API-Key: "), words[-1]


def test_the_demo_line_is_a_curl_command_for_top_growers_with_a_working_key(make_client):
    line = demo_curl_line()
    key, url = key_of(line)
    assert line.startswith("curl ") and url.startswith("http://127.0.0.1:8000/v1/artists/top?")
    answer = make_client().get(url.removeprefix("http://127.0.0.1:8000"), headers={"X-API-Key": key})
    assert answer.status_code == 200 and answer.json()["data"]


def test_a_new_demo_line_replaces_the_previous_demo_key(make_client):
    old, url = key_of(demo_curl_line())
    new, _ = key_of(demo_curl_line())
    api = make_client()
    path = url.removeprefix("http://127.0.0.1:8000")
    assert api.get(path, headers={"X-API-Key": old}).status_code == 401
    assert api.get(path, headers={"X-API-Key": new}).status_code == 200


def test_the_served_api_answers_the_demo_line_and_never_logs_the_key(tmp_path):
    key, url = key_of(demo_curl_line())
    server = start_live_server(tmp_path)
    try:
        served = url.replace("http://127.0.0.1:8000", server.url)
        answer = httpx.get(served, headers={"X-API-Key": key}, timeout=30)
        httpx.get(served, headers={"Authorization": f"Bearer {key}x"}, timeout=30)
    finally:
        stop_live_server(server)
    assert answer.status_code == 200 and answer.json()["data"][0]["rank"] == 1
    assert "GET /v1/artists/top" in server.output()  # the access log is on ...
    assert key.split("_", 2)[2] not in server.output()  # ... and holds no key
