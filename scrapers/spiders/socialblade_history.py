"""Social Blade history 2019-09 … 2022-12 from Wayback captures of ``/youtube/channel/<id>/monthly``.

Per channel: list captures through the CDX API (following resume keys), then walk
backwards with :class:`~scrapers.snapshot_selection.HistoryWalk`, one page at a
time, letting each parsed page decide the next capture. Every point carries the
snapshot's timestamp and URL; unreadable or blocked pages and uncovered weeks
become rejects, and the crawl goes on.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import scrapy

from ingestion.watchlist import watchlist_values
from scrapers.cdx import Capture, parse_cdx
from scrapers.items import ChannelFinished, Reject, SocialBladePoint
from scrapers.parsers import is_block_page, parse_socialblade_page
from scrapers.parsers.completeness import is_truncated_cdx, is_truncated_html
from scrapers.spiders.refetch import refetch
from scrapers.snapshot_selection import (MAX_SPAN_DAYS, RANGE_FIRST, RANGE_LAST, HistoryWalk, covered_days,
                                         naive_captures, week_runs)
from urated.settings import service_url

SOURCE = "socialblade"
EXCERPT = 500


def page_url(channel_id: str) -> str:
    return f"https://socialblade.com/youtube/channel/{channel_id}/monthly"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SocialBladeHistorySpider(scrapy.Spider):
    name = "socialblade"
    source_name = "socialblade"
    service = "wayback"  # whose base URL it crawls: decides the polite delay

    def __init__(self, channels: str | list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(channels, str):
            channels = [c for c in channels.split(",") if c.strip()]
        self.channels = [c.strip() for c in channels] if channels else watchlist_values("youtube_channel_id")
        self.wayback = service_url("wayback")

    def cdx_request(self, channel_id: str, captures: list[Capture], resume_key: str | None = None) -> scrapy.Request:
        params = {
            "url": page_url(channel_id).removeprefix("https://"),
            "output": "json",
            "from": RANGE_FIRST.strftime("%Y%m%d"),
            "to": (RANGE_LAST + dt.timedelta(days=MAX_SPAN_DAYS)).strftime("%Y%m%d"),
            "showResumeKey": "true",
            "limit": str(self.settings.getint("CDX_PAGE_ROWS")),
        }
        if resume_key:
            params["resumeKey"] = resume_key
        return scrapy.Request(
            f"{self.wayback}/cdx/search/cdx?{urlencode(params)}",
            callback=self.parse_listing,
            errback=self.listing_failed,
            dont_filter=True,
            meta={"channel_id": channel_id, "captures": captures, "handle_httpstatus_all": True},
        )

    async def start(self):
        for channel_id in self.channels:
            yield self.cdx_request(channel_id, [])

    def parse_listing(self, response):
        channel_id, captures = response.meta["channel_id"], response.meta["captures"]
        if response.status != 200 or is_block_page(response.text):
            yield self._reject(channel_id, response.url, response.text, f"CDX listing failed: HTTP {response.status}")
            yield ChannelFinished(channel_id, 0, 0, [])
            return
        if is_truncated_cdx(response.text):
            retry = refetch(response.request, self.crawler)
            if retry is not None:
                yield retry
                return
            yield self._reject(channel_id, response.url, response.text, "CDX listing cut short, even when retried")
        rows, resume_key = parse_cdx(response.text)
        captures = captures + rows
        if resume_key and rows:
            yield self.cdx_request(channel_id, captures, resume_key)
            return
        walk = HistoryWalk(captures)
        naive = len(naive_captures(captures))
        self.crawler.stats.inc_value("urated/naive_pages", naive)
        yield from self._next_page(channel_id, walk, naive)

    def listing_failed(self, failure):
        channel_id = failure.request.meta["channel_id"]
        yield self._reject(channel_id, failure.request.url, "", f"CDX listing failed: {failure.getErrorMessage()}")
        yield ChannelFinished(channel_id, 0, 0, [])

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
            taken = capture.captured_at.replace(tzinfo=dt.timezone.utc)
            days = covered_days(result.points)
            for point in result.points:
                if RANGE_FIRST <= point.observed_on <= RANGE_LAST:
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
