"""Public Spotify artist pages, `GET /spotify-web/artist/{id}`: monthly listeners live only here.

The HTML comes from `sandbox.pages.spotify` (owned by the pages helper).
"""

from __future__ import annotations

import re

from sandbox.services.http import Request, Response, html_response
from sandbox.state import SandboxState

NOT_FOUND_PAGE = "<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Page not found</h1></body></html>"


def captcha() -> Response:
    from sandbox.pages.socialblade import render_block_page

    return html_response(403, render_block_page(1))


def handle(request: Request, state: SandboxState) -> Response:
    from sandbox.pages.spotify import render_artist_page

    m = re.fullmatch(r"/artist/([A-Za-z0-9]+)", request.path.rstrip("/"))
    artist = state.world.artist_by_spotify_id(m.group(1)) if m else None
    if artist is None:
        return html_response(404, NOT_FOUND_PAGE)
    now = state.world.spotify_on(artist.spotify_artist_id, request.day)
    return html_response(200, render_artist_page(artist.artist_name, now["monthly_listeners"], artist.spotify_artist_id))
