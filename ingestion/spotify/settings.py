"""Spotify Web API constants."""

SOURCE = "spotify"
TOKEN_PATH = "/api/token"
ARTISTS_PATH = "/artists"
NEW_RELEASES_PATH = "/browse/new-releases"
ALBUM_TRACKS_PATH = "/albums/{album_id}/tracks"
ARTISTS_BATCH = 50  # /artists?ids= takes at most 50
PAGE_LIMIT = 50  # the largest page Spotify serves
# Fetch a new token this long before the old one expires, so no call races the expiry.
TOKEN_REFRESH_MARGIN_S = 60.0
CLIENT_ID_VAR = "SPOTIFY_CLIENT_ID"
CLIENT_SECRET_VAR = "SPOTIFY_CLIENT_SECRET"
