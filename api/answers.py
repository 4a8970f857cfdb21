"""Answering a read: ETag from the data version, 304 on a match, the answer cache, the query off the loop.

The ETag is the published snapshot's version (plus the API's own revision, so a new
release never matches an old representation): it changes exactly when the served data
changes. The cache key is the route and its validated parameters; the cache follows
the data version, so nothing is served from before a publish.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import duckdb

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.cache import AnswerCache
from api.snapshots import Lease, SnapshotReader

API_REVISION = "1"
CACHE_CONTROL = "private, no-cache"  # clients may keep answers but must revalidate (cheap: 304)


def etag_of(version: str) -> str:
    return f'"{version}.{API_REVISION}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison against an If-None-Match list (or ``*``)."""
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or etag in (c.removeprefix("W/") for c in candidates)


class QueryTimeout(Exception):
    """An answer's queries ran past the API's limit and were interrupted."""

    def __init__(self, seconds: float):
        super().__init__(f"the query ran past {seconds:g} s and was stopped (URATED_API_QUERY_SECONDS); "
                         "narrow it (a shorter date range, a platform or metric) or try again later")
        self.seconds = seconds


def _compute(reader: SnapshotReader, compute: Callable[[Lease], BaseModel], seconds: float = 0) -> tuple[str, bytes]:
    """``compute`` on a leased cursor, interrupted after ``seconds`` (0: no limit).

    Why a limit: a client that hangs up does not stop its DuckDB query, and a few slow ones
    left running hold every core while the answers behind them wait (measured: the growth
    routes fell from ~100 to 15-19 requests/s behind abandoned series queries at 150 k artists).
    """
    with reader.lease() as lease:
        if seconds <= 0:
            return lease.version, compute(lease).model_dump_json().encode()
        state = {"done": False, "interrupted": False}
        lock = threading.Lock()

        def stop() -> None:
            with lock:  # never after the answer is done: the cursor goes back to the pool
                if not state["done"]:
                    state["interrupted"] = True
                    lease.cursor.interrupt()

        timer = threading.Timer(seconds, stop)
        timer.daemon = True
        timer.start()
        try:
            body = compute(lease).model_dump_json().encode()
        except duckdb.InterruptException as error:
            raise QueryTimeout(seconds) from error
        finally:
            with lock:
                state["done"] = True
            timer.cancel()
        if state["interrupted"]:  # interrupted between two statements: the answer may be partial
            raise QueryTimeout(seconds)
        return lease.version, body


async def _computed_once(cache: AnswerCache, key: tuple[str, str], reader: SnapshotReader,
                         compute: Callable[[Lease], BaseModel], seconds: float = 0) -> tuple[str, bytes]:
    """Run ``compute`` in the thread pool (DuckDB blocks), once for concurrent identical requests.

    Why: right after a publish every client asks again at once; with the cache on, they share
    one query instead of each running it. With the cache off, every request runs its own.
    """
    if cache.entries <= 0:
        return await run_in_threadpool(_compute, reader, compute, seconds)
    task = cache.pending.get(key)
    if task is None:
        task = cache.pending[key] = asyncio.ensure_future(run_in_threadpool(_compute, reader, compute, seconds))
        task.add_done_callback(lambda _: cache.pending.pop(key, None))
    return await asyncio.shield(task)  # a client that hangs up does not cancel the others' answer


async def answer(request: Request, params: BaseModel | None, compute: Callable[[Lease], BaseModel]) -> Response:
    """The JSON answer of ``compute`` on the newest snapshot, or 304 when the client has it already."""
    services = request.app.state.services
    version = services.reader.snapshot().version
    etag = etag_of(version)
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
    key = request.url.path + "?" + (params.model_dump_json() if params is not None else "")
    cache = services.cache
    body = cache.get(version, key)
    if body is None:
        version, body = await _computed_once(cache, (version, key), services.reader, compute, services.query_seconds)
        cache.put(version, key, body)
        etag = etag_of(version)
    return Response(body, media_type="application/json", headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
