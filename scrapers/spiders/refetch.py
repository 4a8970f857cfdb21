"""Asking again for a body that arrived cut short (a 200 with half a document)."""

from __future__ import annotations

import scrapy


def refetch(request: scrapy.Request, crawler) -> scrapy.Request | None:
    """The same request once more, or None when ``INCOMPLETE_RETRY_TIMES`` are spent."""
    attempt = request.meta.get("body_retries", 0)
    if attempt >= crawler.settings.getint("INCOMPLETE_RETRY_TIMES"):
        return None
    crawler.stats.inc_value("urated/body_retries")
    return request.replace(dont_filter=True, meta={**request.meta, "body_retries": attempt + 1})
