"""Slow or missing marts: a query past URATED_API_QUERY_SECONDS is stopped, a mart absent from the snapshot is a 503."""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager

import duckdb
import pytest
from pydantic import BaseModel

from api import marts
from api.answers import QueryTimeout, _compute
from api.snapshots import Lease, _Generation

from .api_support import change_and_publish

# Counts ten billion rows: minutes, far past any limit below.
SLOW_SQL = "select count(*) from range(10000000000) as t(i) where i % 7 = 3"


class Count(BaseModel):
    rows: int


class OneCursorReader:
    """A snapshot reader that lends the same in-memory cursor every time (as the pool does)."""

    def __init__(self) -> None:
        self.connection = duckdb.connect()
        self.cursor = self.connection.cursor()
        self.generation = _Generation(version="v1", stack=ExitStack(), connection=self.connection, catalog="memory")

    @contextmanager
    def lease(self):
        yield Lease("v1", self.cursor, self.generation)


def count(sql: str):
    return lambda lease: Count(rows=lease.cursor.execute(sql).fetchone()[0])


def test_a_query_past_the_limit_is_stopped_soon_after_it():
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="URATED_API_QUERY_SECONDS"):
        _compute(OneCursorReader(), count(SLOW_SQL), seconds=0.3)
    assert time.perf_counter() - started < 5


def test_the_cursor_answers_again_after_its_query_was_stopped():
    reader = OneCursorReader()
    with pytest.raises(QueryTimeout):
        _compute(reader, count(SLOW_SQL), seconds=0.3)
    assert _compute(reader, count("select 42"), seconds=5) == ("v1", b'{"rows":42}')


def test_a_fast_answer_is_not_interrupted_later_on_its_pooled_cursor():
    reader = OneCursorReader()
    assert _compute(reader, count("select 1"), seconds=0.2)[1] == b'{"rows":1}'
    time.sleep(0.4)  # past the limit the first answer had: its timer must not fire into the next query
    assert reader.cursor.execute("select count(*) from range(3000000)").fetchone() == (3_000_000,)


def test_a_route_whose_query_is_stopped_answers_503_query_timeout_with_retry_after(make_client, key, monkeypatch):
    monkeypatch.setattr(marts, "artists", lambda con, *args: con.execute(SLOW_SQL).fetchall())
    client = make_client(query_seconds=0.3, cache_entries=0)
    started = time.perf_counter()
    answer = client.get("/v1/artists", headers={"X-API-Key": key})
    assert time.perf_counter() - started < 5
    assert answer.status_code == 503
    assert answer.json()["error"] == "query_timeout"
    assert "URATED_API_QUERY_SECONDS" in answer.json()["message"]
    assert int(answer.headers["Retry-After"]) > 0


def test_a_snapshot_without_a_mart_answers_503_no_data_naming_it(private_world, client):
    # The benchmark publishes before it builds fct_anomalies: that must be a clear 503, not a 500.
    change_and_publish(private_world, "drop table marts.fct_anomalies")
    answer = client.get("/v1/anomalies")
    assert answer.status_code == 503
    assert answer.json()["error"] == "no_data"
    assert "fct_anomalies" in answer.json()["message"]
    assert client.get("/v1/artists").status_code == 200  # the other marts still answer


def test_the_limit_is_ten_seconds_unless_set_and_a_bad_value_names_the_variable(monkeypatch):
    from urated import settings

    monkeypatch.delenv(settings.API_QUERY_SECONDS_VAR, raising=False)
    assert settings.api_query_seconds() == 10.0
    monkeypatch.setenv(settings.API_QUERY_SECONDS_VAR, "2.5")
    assert settings.api_query_seconds() == 2.5
    monkeypatch.setenv(settings.API_QUERY_SECONDS_VAR, "soon")
    with pytest.raises(ValueError, match="URATED_API_QUERY_SECONDS must be a number of seconds, got 'soon'"):
        settings.api_query_seconds()
