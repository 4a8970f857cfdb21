"""Run one spider in this process, load its items through dlt, print one JSON line of statistics.

    python -m scrapers.run socialblade [--channels UC1,UC2] [--download-delay 0] [--block-delay 0.05]
    python -m scrapers.run spotify_pages [--artists id1,id2]

Always its own process: Twisted's reactor cannot be restarted, so a long-lived
worker (Dagster) launches this through :func:`scrapers.runner.run_spider_subprocess`.
The delay between requests to a host is never below 1 s (``--download-delay`` can
only raise it), unless pacing is switched off explicitly for a loopback sandbox
(``URATED_PACING=off``, which the sandbox's environment sets).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from ingestion.watchlist import WatchlistError, ids_to_collect
from scrapers.spiders.socialblade_history import SocialBladeHistorySpider
from scrapers.spiders.spotify_artist_pages import SpotifyArtistPagesSpider
from urated.settings import MissingSettingError, pacing_off, service_url

LOOPBACK_CONCURRENCY = 8
SPIDERS = {cls.name: cls for cls in (SocialBladeHistorySpider, SpotifyArtistPagesSpider)}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scrapers.run", description=__doc__.splitlines()[0])
    parser.add_argument("spider", choices=sorted(SPIDERS))
    parser.add_argument("--channels", help="comma-separated YouTube channel ids (default: the watchlist)")
    parser.add_argument("--artists", help="comma-separated Spotify artist ids (default: the watchlist)")
    parser.add_argument("--download-delay", type=float, help="seconds between requests to a host (production: 1)")
    parser.add_argument("--block-delay", type=float, help="first wait after a block page, doubled each retry")
    parser.add_argument("--pipelines-dir", help="dlt state folder")
    parser.add_argument("--log-level", default=None)
    return parser.parse_args(argv)


def polite_delays(settings: Settings, service: str, download_delay: float | None,
                  block_delay: float | None) -> tuple[float, float]:
    """(download delay, first block-retry wait) for a crawl of ``service``.

    A paced host never gets more than one request a second, whatever is asked;
    with pacing off (the sandbox's ``URATED_PACING=off`` on loopback) there is
    no delay unless one is asked for, so the demo and the tests run at local speed.
    """
    floor = settings.getfloat("DOWNLOAD_DELAY")
    unpaced = pacing_off(service_url(service))
    delay = download_delay if download_delay is not None else (0.0 if unpaced else floor)
    block = block_delay if block_delay is not None else (0.05 if unpaced else settings.getfloat("BLOCK_RETRY_DELAY"))
    if not unpaced:
        delay = max(delay, floor)
        block = max(block, settings.getfloat("BLOCK_RETRY_DELAY"))
    return delay, block


def crawl_settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    service = SPIDERS[args.spider].service
    delay, block = polite_delays(settings, service, args.download_delay, args.block_delay)
    settings.set("DOWNLOAD_DELAY", delay, priority="cmdline")
    settings.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01), priority="cmdline")
    settings.set("BLOCK_RETRY_DELAY", block, priority="cmdline")
    if pacing_off(service_url(service)) and not delay:
        # Nobody to be polite to on loopback: let channels' walks run side by side.
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", LOOPBACK_CONCURRENCY, priority="cmdline")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    if args.pipelines_dir:
        settings.set("PIPELINES_DIR", args.pipelines_dir, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    return settings


def summary(stats: dict, units: int, elapsed: float) -> dict:
    """The statistics the Dagster asset records as metadata."""
    pages = int(stats.get("urated/pages_fetched", 0))
    items = int(stats.get("urated/items", 0))
    return {
        "pages_fetched": pages,
        "pages_per_channel": round(pages / units, 2) if units else 0.0,
        "naive_pages": int(stats.get("urated/naive_pages", units)),
        "items": items,
        "rejects": int(stats.get("urated/rejects", 0)),
        "retries": sum(int(stats.get(k, 0)) for k in ("retry/count", "urated/block_retries", "urated/body_retries")),
        "blocked_pages": int(stats.get("urated/blocked_pages", 0)),
        "elapsed_s": round(elapsed, 3),
        "items_per_s": round(items / elapsed, 1) if elapsed else 0.0,
        "rows_loaded": int(stats.get("urated/rows_loaded", 0)),
        "units": units,
        "finish_reason": stats.get("finish_reason", "unknown"),
    }


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    spider_cls = SPIDERS[args.spider]
    given = args.channels if spider_cls.watchlist_column == "youtube_channel_id" else args.artists
    try:  # before the crawler starts, so a bad watchlist is one clear message, not a Twisted traceback
        ids = ids_to_collect(spider_cls.watchlist_column, given.split(",") if given else None)
    except (WatchlistError, MissingSettingError) as exc:
        print(f"spider {args.spider} not started: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    process = CrawlerProcess(crawl_settings(args))
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, ids=ids)
    process.start()
    stats = crawler.stats.get_stats()
    result = summary(stats, len(ids), time.monotonic() - started)
    print(json.dumps(result, default=str), flush=True)
    errors = int(stats.get("log_count/ERROR", 0))
    return 0 if result["finish_reason"] == "finished" and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
