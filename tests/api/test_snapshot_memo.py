"""A value read once per snapshot is read once, even when many requests ask for it at the same moment."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import duckdb

from api.snapshots import Lease, _Generation


def test_concurrent_requests_for_a_snapshot_value_share_one_read():
    connection = duckdb.connect()
    generation = _Generation(version="v1", stack=ExitStack(), connection=connection, catalog="memory")
    reads = []
    everyone_asked = threading.Barrier(8)

    def slow_read(cursor):
        reads.append(1)
        time.sleep(0.2)  # a whole-mart scan: long enough for every other request to arrive meanwhile
        return 42

    def request(_):
        everyone_asked.wait()
        return Lease("v1", connection, generation).remember(("latest_as_of",), slow_read)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(request, range(8)))
    assert answers == [42] * 8
    assert len(reads) == 1
