"""Wayback Machine CDX constants."""

SOURCE = "wayback"
CDX_PATH = "/cdx/search/cdx"
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
SOCIALBLADE_PAGE = "https://socialblade.com/youtube/channel/{channel_id}/monthly"
# Phase 2: the Social Blade era between YouNiverse (Sep 2019) and ViewStats (Aug 2022).
DEFAULT_FROM = "20190901"
DEFAULT_TO = "20221231"
PAGE_SIZE = 500
