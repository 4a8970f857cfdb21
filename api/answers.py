"""Answering a read: ETag from the data version, 304 on a match, the answer cache, the query off the loop.

The ETag is the published snapshot's version (plus the API's own revision, so a new
release never matches an old representation): it changes exactly when the served data
changes. The cache key is the route and its validated parameters; the cache follows
the data version, so nothing is served from before a publish.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

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


def _compute(reader: SnapshotReader, compute: Callable[[Lease], BaseModel]) -> tuple[str, bytes]:
    with reader.lease() as lease:
        return lease.version, compute(lease).model_dump_json().encode()


async def _computed_once(cache: AnswerCache, key: tuple[str, str], reader: SnapshotReader,
                         compute: Callable[[Lease], BaseModel]) -> tuple[str, bytes]:
    """Run ``compute`` in the thread pool (DuckDB blocks), once for concurrent identical requests.

    Why: right after a publish every client asks again at once; with the cache on, they share
    one query instead of each running it. With the cache off, every request runs its own.
    """
    if cache.entries <= 0:
        return await run_in_threadpool(_compute, reader, compute)
    task = cache.pending.get(key)
    if task is None:
        task = cache.pending[key] = asyncio.ensure_future(run_in_threadpool(_compute, reader, compute))
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
        version, body = await _computed_once(cache, (version, key), services.reader, compute)
        cache.put(version, key, body)
        etag = etag_of(version)
    return Response(body, media_type="application/json", headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
