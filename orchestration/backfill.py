"""Collect the daily sources for each of the past days, as production accumulates them.

Production's `daily_collection` job runs once a day and stamps every row with that day
(`urated.settings.collection_day`). A new warehouse has none of those days, so Spotify and
Instagram have no growth to measure. Against a service that replays history (the sandbox
answers as of the day a request names), `collect_past_days` runs the same collection for each
past day: the dlt sources (YouTube, Spotify artists, Instagram) and the Spotify artist-page
spider, with the collection day set to that day.

Why not one Dagster run per day: a run costs ~25 s of fixed overhead (a dlt load per source
and a spider process), 20 minutes for 8 weeks. Here each source extracts every day into its
own load package and loads them all at once, and the spider crawls every day in one process,
alongside the extraction. New releases are left to today's run (each day's answer overlaps the
previous four weeks').
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta

from orchestration.assets.ingestion import DLT_SOURCES, load_factory
from urated import settings

log = logging.getLogger("urated.orchestration.backfill")

# Daily sources and the arguments that leave out what does not depend on the day.
DAY_ARGUMENTS = {"spotify": {"include_releases": False}}
SPIDER = "spotify_pages"


def past_days(n_days: int, today: date | None = None) -> list[date]:
    """The ``n_days - 1`` days before ``today``, oldest first: with today's run, ``n_days`` days."""
    today = today or settings.collection_day()
    return [today - timedelta(days=back) for back in range(n_days - 1, 0, -1)]


@contextmanager
def collecting_on(day: date) -> Iterator[None]:
    """Collection day set to ``day`` (``URATED_COLLECTION_DAY``) inside the block only."""
    before = os.environ.get(settings.COLLECTION_DAY_VAR)
    os.environ[settings.COLLECTION_DAY_VAR] = day.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(settings.COLLECTION_DAY_VAR, None)
        else:
            os.environ[settings.COLLECTION_DAY_VAR] = before


def _extract(source: str, factory: str, days: list[date]):
    """``source`` extracted once per day, one load package each; the pipeline holding them."""
    from ingestion.pipeline import make_pipeline

    pipeline = make_pipeline(source)
    for day in days:
        with collecting_on(day):
            pipeline.extract(load_factory(factory)(**DAY_ARGUMENTS.get(source, {})))
    return pipeline


def _load(pipeline) -> dict[str, int]:
    """Every pending package of ``pipeline`` normalized and loaded; rows per table."""
    pipeline.normalize()
    pipeline.load()
    counts = pipeline.last_trace.last_normalize_info.row_counts
    return {table: rows for table, rows in counts.items() if not table.startswith("_dlt")}


def collect_past_days(days: list[date]) -> dict:
    """Collect every daily source for each of ``days``; returns rows loaded and seconds taken."""
    from scrapers.runner import run_spider_subprocess

    if not days:
        return {"days": 0}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The spider is another process: it crawls every day while this one extracts, and loads
        # once at its end; the extracted packages load after it, DuckDB taking one writer at a time.
        spider = pool.submit(run_spider_subprocess, SPIDER,
                             args=["--collection-days", ",".join(d.isoformat() for d in days)])
        pipelines = {w.source: _extract(w.source, w.factory, days) for w in DLT_SOURCES if w.cadence == "daily"}
        spider_stats = spider.result()
    rows = {source: _load(pipeline) for source, pipeline in pipelines.items()}
    rows[SPIDER] = {"monthly_listeners": spider_stats.get("items", 0)}
    summary = {"days": len(days), "first_day": days[0].isoformat(), "last_day": days[-1].isoformat(),
               "rows": rows, "seconds": round(time.monotonic() - started, 1)}
    log.info("daily history collected: %s", summary)
    return summary
