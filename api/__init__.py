"""uRated's HTTP API: a thin, read-only layer over the marts (FastAPI).

Every number it answers comes from ``marts.*`` in the last published snapshot
(``urated.warehouse.read_snapshot``); the API validates, pages, caches by data
version and limits callers per key, and computes no metric itself.
Start it with ``make api``; manage keys with ``python -m api keys ...``.
"""
