"""YouTube Data API client: API key auth, quota accounting, quotaExceeded -> breaker."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ingestion.http import Clock, QuotaExhaustedError, ServiceClient
from ingestion.http.ratelimit import next_pacific_midnight
from ingestion.youtube.settings import BATCH_SIZE, CHANNELS_PATH, KEY_VAR, PARTS, UNITS_PER_CALL
from urated.settings import credential

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"})


def error_reasons(response: httpx.Response) -> set[str]:
    """The ``errors[].reason`` values of a Google API error body (legacy or new shape)."""
    try:
        error = json.loads(response.content).get("error", {})
        return {e.get("reason", "") for e in error.get("errors", []) if isinstance(e, dict)}
    except (ValueError, AttributeError):
        return set()


class YouTubeClient:
    """``channels.list`` with the daily quota as the pacing rule."""

    def __init__(self, http: ServiceClient | None = None, *, clock: Clock | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.http = http or ServiceClient("youtube", clock=clock, transport=transport)
        self.http.classify = self._classify
        self.api_key = credential("youtube", KEY_VAR)

    @property
    def clock(self) -> Clock:
        return self.http.clock

    def _classify(self, response: httpx.Response) -> None:
        # Google answers 403 quotaExceeded for the whole day: retrying only burns time.
        if response.status_code == 403 and error_reasons(response) & {"quotaExceeded", "dailyLimitExceeded"}:
            until = next_pacific_midnight(self.clock.now())
            self.http.breaker.open(until, "403 quotaExceeded from the API", quota=True)
            raise QuotaExhaustedError("youtube", until, "403 quotaExceeded from the API")

    def list_channels(self, ids: list[str]) -> Any:
        """The decoded ``channelListResponse`` for up to 50 ids (one quota unit)."""
        if not 0 < len(ids) <= BATCH_SIZE:
            raise ValueError(f"channels.list takes 1..{BATCH_SIZE} ids, got {len(ids)}")
        params = {"part": PARTS, "id": ",".join(ids), "maxResults": BATCH_SIZE, "key": self.api_key}
        return self.http.get_json(CHANNELS_PATH, params=params, cost=UNITS_PER_CALL)

    def close(self) -> None:
        self.http.close()
