"""HTML the sandbox serves for pages that have no API: archived Social Blade pages and Spotify artist pages.

Rendered with the noise real pages carry (Wayback toolbar, navigation, ads,
scripts) so the scrapers' parsers are exercised on realistic input.
"""
