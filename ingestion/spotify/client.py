"""Spotify client: client-credentials token (refreshed early, and once after a 401), paging."""

from __future__ import annotations

from typing import Any


from ingestion.http import Clock, ClientError, ServiceClient, ServiceError
from ingestion.spotify.settings import (
    CLIENT_ID_VAR,
    CLIENT_SECRET_VAR,
    TOKEN_PATH,
    TOKEN_REFRESH_MARGIN_S,
)
from urated.settings import credential


class SpotifyClient:
    def __init__(self, api: ServiceClient | None = None, accounts: ServiceClient | None = None,
                 *, clock: Clock | None = None):
        clock = clock or (api.clock if api else Clock())
        self.api = api or ServiceClient("spotify", clock=clock)
        self.accounts = accounts or ServiceClient("spotify_accounts", clock=clock)
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self.tokens_fetched = 0

    def _fetch_token(self) -> str:
        auth = (credential("spotify_accounts", CLIENT_ID_VAR), credential("spotify_accounts", CLIENT_SECRET_VAR))
        response = self.accounts.request("POST", TOKEN_PATH, data={"grant_type": "client_credentials"}, auth=auth)
        body = response.json()
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise ServiceError("spotify_accounts", "token response has no access_token")
        self._token = token
        self._expires_at = self.clock.monotonic() + float(body.get("expires_in", 3600))
        self.tokens_fetched += 1
        return token

    def token(self) -> str:
        """A bearer token valid for at least the refresh margin."""
        if self._token is None or self.clock.monotonic() >= self._expires_at - TOKEN_REFRESH_MARGIN_S:
            return self._fetch_token()
        return self._token

    def get_json(self, path_or_url: str, params: dict[str, Any] | None = None) -> Any:
        """GET with the bearer token; a 401 (expired or revoked) refreshes it and retries once."""
        if path_or_url.startswith("http") and not path_or_url.startswith(self.api.base_url + "/"):
            # A `next` link elsewhere would carry our token to a host we did not choose.
            raise ServiceError("spotify", f"refusing to follow a link off the API host: {path_or_url}")
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token()}"}
            try:
                return self.api.get_json(path_or_url, params=params, headers=headers)
            except ClientError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                self._token = None

    def close(self) -> None:
        self.api.close()
        self.accounts.close()
