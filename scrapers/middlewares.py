"""Block pages (CAPTCHA, rate limit) are retried later with a growing delay, then handed on as blocked.

They arrive as 403, 429 or 200, so status-based retrying alone either misses
them (200) or retries them at full speed (429). This middleware sits before
Scrapy's RetryMiddleware in the response chain, waits ``BLOCK_RETRY_DELAY × 2^n``
seconds, retries up to ``BLOCK_RETRY_TIMES``, and finally lets the response
through with ``meta["blocked"] = True`` so the spider records a reject.
"""

from __future__ import annotations

import asyncio

from scrapers.parsers import is_block_page


class BlockPageMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.delay = crawler.settings.getfloat("BLOCK_RETRY_DELAY")
        self.times = crawler.settings.getint("BLOCK_RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request, response):
        if not getattr(response, "text", None) or not is_block_page(response.text):
            return response
        stats = self.crawler.stats
        stats.inc_value("urated/blocked_pages")
        attempt = request.meta.get("block_retries", 0)
        if attempt >= self.times:
            # Status retries would only fetch the same wall again at full speed.
            request.meta.update(blocked=True, dont_retry=True)
            return response
        await asyncio.sleep(self.delay * 2**attempt)
        stats.inc_value("urated/block_retries")
        meta = {**request.meta, "block_retries": attempt + 1}
        return request.replace(dont_filter=True, meta=meta)
