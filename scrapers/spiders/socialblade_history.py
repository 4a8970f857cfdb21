"""Social Blade history 2019-09 … 2022-12 from Wayback captures of ``/youtube/channel/<id>/monthly``.

Phase 2B. The captures come from ``raw_wayback.snapshots``, which the Wayback
CDX source (phase 2A, ``ingestion.wayback``) listed; per channel the spider walks
backwards with :class:`~scrapers.snapshot_selection.HistoryWalk`, one page at a
time, letting each parsed page decide the next capture. Every point carries the
snapshot's timestamp and URL; unreadable or blocked pages and uncovered weeks
become rejects, and the crawl goes on.
"""

from __future__ import annotations

import datetime as dt

import scrapy

from ingestion.watchlist import ids_to_collect
from ingestion.wayback import stored_captures
from ingestion.wayback.settings import ERA_FIRST, ERA_LAST, SOCIALBLADE_PAGE
from scrapers.items import ChannelFinished, Reject, SocialBladePoint
from scrapers.parsers import is_block_page, parse_socialblade_page
from scrapers.parsers.completeness import is_truncated_html
from scrapers.spiders.refetch import refetch
from scrapers.snapshot_selection import HistoryWalk, covered_days, naive_captures, week_runs
from urated.settings import service_url

SOURCE = "socialblade"
EXCERPT = 500


def page_url(channel_id: str) -> str:
    return SOCIALBLADE_PAGE.format(channel_id=channel_id)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SocialBladeHistorySpider(scrapy.Spider):
    name = "socialblade"
    source_name = "socialblade"
    watchlist_column = "youtube_channel_id"  # the ids it crawls, validated before any request
    service = "wayback"  # whose base URL it crawls: decides the polite delay

    def __init__(self, ids: str | list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(ids, str):  # a comma-separated list, as `scrapy crawl -a ids=...` passes it
            ids = ids.split(",")
        self.channels = ids_to_collect(self.watchlist_column, ids)
        self.wayback = service_url("wayback")

    async def start(self):
        # Read every channel's captures at once, before the first request: the connection is
        # closed again before the pipeline writes the warehouse.
        for channel_id, captures in stored_captures(self.channels).items():
            walk = HistoryWalk(captures)
            naive = len(naive_captures(captures))
            self.crawler.stats.inc_value("urated/naive_pages", naive)
            for request_or_item in self._next_page(channel_id, walk, naive):
                yield request_or_item

    def _next_page(self, channel_id: str, walk: HistoryWalk, naive: int):
        capture = walk.next_capture()
        if capture is None:
            yield from self._finish(channel_id, walk, naive)
            return
        original = capture.original or page_url(channel_id)
        yield scrapy.Request(
            f"{self.wayback}/web/{capture.timestamp}/{original}",
            callback=self.parse_page,
            errback=self.page_failed,
            dont_filter=True,
            meta={"channel_id": channel_id, "walk": walk, "capture": capture, "naive": naive,
                  "handle_httpstatus_all": True},
        )

    def parse_page(self, response):
        meta = response.meta
        channel_id, walk, capture = meta["channel_id"], meta["walk"], meta["capture"]
        self.crawler.stats.inc_value("urated/pages_fetched")
        text = response.text if hasattr(response, "text") else ""
        days: list[dt.date] = []
        if meta.get("blocked") or is_block_page(text):
            yield self._reject(channel_id, response.url, text, "block or CAPTCHA page, still blocked after retries")
        elif response.status != 200:
            yield self._reject(channel_id, response.url, text, f"HTTP {response.status}")
        elif is_truncated_html(text) and (retry := refetch(response.request, self.crawler)) is not None:
            yield retry
            return
        else:
            result = parse_socialblade_page(text)
            if not result.points:
                yield self._reject(channel_id, response.url, text, result.reason or "no points")
            taken = capture.snapshot_at
            days = covered_days(result.points)
            for point in result.points:
                if ERA_FIRST <= point.observed_on <= ERA_LAST:
                    yield SocialBladePoint(channel_id, point.metric, point.observed_on, point.value, taken,
                                           response.url, result.parser)
        walk.record(capture, days)
        yield from self._next_page(channel_id, walk, meta["naive"])

    def page_failed(self, failure):
        meta = failure.request.meta
        self.crawler.stats.inc_value("urated/pages_failed")
        yield self._reject(meta["channel_id"], failure.request.url, "", f"download failed: {failure.getErrorMessage()}")
        meta["walk"].record(meta["capture"], [])
        yield from self._next_page(meta["channel_id"], meta["walk"], meta["naive"])

    def _finish(self, channel_id: str, walk: HistoryWalk, naive: int):
        missing = walk.missing_weeks
        for first, last in week_runs(missing):
            n = (last - first).days // 7 + 1
            yield self._reject(channel_id, page_url(channel_id), f"{first.isoformat()}..{last.isoformat()}",
                               f"{n} week(s) {first}..{last} covered by no readable capture")
        yield ChannelFinished(channel_id, len(walk.tried), naive, missing)

    def _reject(self, channel_id: str, url: str, payload: str, reason: str) -> Reject:
        return Reject(SOURCE, reason, (payload or "")[:EXCERPT], url, _now(), channel_id)
