"""Spiders: they schedule requests and hand pages to the pure parsers in ``scrapers.parsers``."""
