"""Pure page parsers (no Scrapy): archived Social Blade history and Spotify monthly listeners."""

from scrapers.parsers.blocks import is_block_page
from scrapers.parsers.results import METRICS, ParseResult, Point
from scrapers.parsers.socialblade import parse_socialblade_page
from scrapers.parsers.spotify import parse_monthly_listeners

__all__ = ["METRICS", "ParseResult", "Point", "is_block_page", "parse_monthly_listeners", "parse_socialblade_page"]
