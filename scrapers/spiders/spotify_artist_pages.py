"""Monthly listeners from each watchlist artist's public Spotify page, one observation per artist per day."""

from __future__ import annotations

import datetime as dt

import scrapy

from ingestion.watchlist import ids_to_collect
from scrapers.items import MonthlyListeners, Reject
from scrapers.parsers import is_block_page, parse_monthly_listeners
from scrapers.parsers.completeness import is_truncated_html
from scrapers.spiders.refetch import refetch
from urated.settings import service_url

SOURCE = "spotify_web"
EXCERPT = 500


class SpotifyArtistPagesSpider(scrapy.Spider):
    name = "spotify_pages"
    source_name = "spotify_web"
    watchlist_column = "spotify_artist_id"  # the ids it crawls, validated before any request
    service = "spotify_web"  # whose base URL it crawls: decides the polite delay

    def __init__(self, ids: str | list[str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(ids, str):  # a comma-separated list, as `scrapy crawl -a ids=...` passes it
            ids = ids.split(",")
        self.artists = ids_to_collect(self.watchlist_column, ids)
        self.base = service_url("spotify_web")

    async def start(self):
        for artist_id in self.artists:
            yield scrapy.Request(f"{self.base}/artist/{artist_id}", callback=self.parse_artist,
                                 errback=self.artist_failed, dont_filter=True,
                                 meta={"artist_id": artist_id, "handle_httpstatus_all": True})

    def parse_artist(self, response):
        artist_id = response.meta["artist_id"]
        now = dt.datetime.now(dt.timezone.utc)
        self.crawler.stats.inc_value("urated/pages_fetched")
        text = response.text if hasattr(response, "text") else ""
        # A cut page may still hold the abbreviated meta figure; the exact one is worth a second request.
        if response.status == 200 and is_truncated_html(text) and (retry := refetch(response.request, self.crawler)):
            yield retry
            return
        listeners = parse_monthly_listeners(text) if response.status == 200 else None
        if listeners is not None:
            yield MonthlyListeners(artist_id, now.date(), listeners, response.url, now)
            return
        if response.meta.get("blocked") or is_block_page(text):
            reason = "block or CAPTCHA page, still blocked after retries"
        elif response.status != 200:
            reason = f"HTTP {response.status}"
        else:
            reason = "no monthly listeners on the page"
        yield Reject(SOURCE, reason, text[:EXCERPT], response.url, now, artist_id)

    def artist_failed(self, failure):
        now = dt.datetime.now(dt.timezone.utc)
        yield Reject(SOURCE, f"download failed: {failure.getErrorMessage()}", "", failure.request.url, now,
                     failure.request.meta["artist_id"])
