"""Instagram Graph API client: business discovery through our own account, token from the env."""

from __future__ import annotations

from typing import Any

from ingestion.http import Clock, ServiceClient
from ingestion.instagram.settings import DISCOVERY_FIELDS, TOKEN_VAR, ig_user_id
from urated.settings import credential


class InstagramClient:
    def __init__(self, http: ServiceClient | None = None, *, clock: Clock | None = None):
        self.http = http or ServiceClient("instagram", clock=clock)
        self.token = credential("instagram", TOKEN_VAR)
        self.user_id = ig_user_id()

    @property
    def clock(self) -> Clock:
        return self.http.clock

    def business_discovery(self, username: str) -> Any:
        params = {"fields": DISCOVERY_FIELDS.format(username=username), "access_token": self.token}
        return self.http.get_json(f"/{self.user_id}", params=params)

    def close(self) -> None:
        self.http.close()
