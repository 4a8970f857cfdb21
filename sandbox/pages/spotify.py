"""Public ``open.spotify.com/artist/<id>`` pages: the only place monthly listeners are published.

The exact figure sits in the rendered body, the abbreviated one in the Open
Graph description, among the bundles, preloads and base64 state the real page ships.
"""

from __future__ import annotations

import base64
import html
import json

from sandbox.pages.counts import abbreviated, with_commas


def render_artist_page(artist_name: str, monthly_listeners: int, artist_id: str = "0000000000000000000000") -> str:
    """A realistic artist page stating ``monthly_listeners`` exactly in its body and abbreviated in its meta."""
    name = html.escape(artist_name)
    state = base64.b64encode(
        json.dumps({"entities": {"items": {f"spotify:artist:{artist_id}": {"profile": {"name": artist_name}}}}}).encode()
    ).decode()
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{name} | Spotify</title>
<meta property="og:site_name" content="Spotify"/>
<meta property="og:title" content="{name}"/>
<meta property="og:description" content="Artist · {abbreviated(monthly_listeners)} monthly listeners."/>
<meta property="og:url" content="https://open.spotify.com/artist/{artist_id}"/>
<meta property="og:type" content="profile"/>
<meta name="description" content="Listen to {name} on Spotify. Artist · {abbreviated(monthly_listeners)} monthly listeners."/>
<meta name="twitter:site" content="@spotify"/><meta name="twitter:title" content="{name}"/>
<link rel="preconnect" href="https://encore.scdn.co"/>
<link rel="stylesheet" href="https://open.spotifycdn.com/cdn/build/web-player/web-player.4b6c2a1e.css"/>
<script src="https://open.spotifycdn.com/cdn/build/web-player/vendor~web-player.5d1c9b0a.js" defer></script>
<script src="https://open.spotifycdn.com/cdn/build/web-player/web-player.9f3e2d1c.js" defer></script>
<script id="session" data-testid="session" type="application/json">{{"accessToken":"","accessTokenExpirationTimestampMs":0,"isAnonymous":true}}</script>
<script id="config" data-testid="config" type="application/json">{{"appName":"web-player","market":"US","locale":{{"locale":"en","rtl":false}},"isPremium":false}}</script>
<script id="initial-state" type="text/plain">{state}</script>
</head><body>
<div id="main"><div class="Root encore-dark-theme" data-right-sidebar-hidden="true">
<nav aria-label="Main"><a href="/">Home</a><a href="/search">Search</a><a href="/collection">Your Library</a></nav>
<main><section data-testid="artist-page">
<div class="contentSpacing"><span class="rEN7ncpaUeSGL9z0NGQR">Verified Artist</span>
<h1 class="encore-text encore-text-headline-large" data-encore-id="text">{name}</h1>
<span class="Ydwa1P5GkCggtLlSvphs">{with_commas(monthly_listeners)} monthly listeners</span></div>
<section aria-label="Popular"><h2>Popular</h2><div role="grid" aria-rowcount="10" aria-colcount="4"></div></section>
<section aria-label="Discography"><h2>Discography</h2></section>
</section></main></div></div>
<footer><a href="https://www.spotify.com/legal/">Legal</a> · <a href="https://www.spotify.com/privacy/">Privacy Center</a> · © 2024 Spotify AB</footer>
</body></html>"""
