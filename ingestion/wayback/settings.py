"""Wayback CDX constants, and the Social Blade era the captures are listed for."""

from datetime import date, timedelta

SOURCE = "wayback"
CDX_PATH = "/cdx/search/cdx"
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
SOCIALBLADE_PAGE = "https://socialblade.com/youtube/channel/{channel_id}/monthly"
# Phase 2: the Social Blade era between YouNiverse (Sep 2019) and ViewStats (Aug 2022), to the end of 2022.
ERA_FIRST = date(2019, 9, 1)
ERA_LAST = date(2022, 12, 31)
# A page's chart shows weeks before its capture: a capture this long after the era can still show
# its last weeks (no layout seen reaches further back), so the listing runs that far past the era.
MAX_CHART_SPAN_DAYS = 400
DEFAULT_FROM = ERA_FIRST.strftime("%Y%m%d")
DEFAULT_TO = (ERA_LAST + timedelta(days=MAX_CHART_SPAN_DAYS)).strftime("%Y%m%d")
PAGE_SIZE = 500
