"""ViewStats client: 2 requests a second, challenge pages detected and retried slowly."""

from __future__ import annotations

from datetime import date
from typing import Any

from ingestion.http import Clock, ServiceClient
from ingestion.http.challenge import challenge_detector
from ingestion.viewstats.settings import WEEKLY_PATH


class ViewStatsClient:
    def __init__(self, http: ServiceClient | None = None, *, clock: Clock | None = None):
        self.http = http or ServiceClient("viewstats", clock=clock)
        self.http.is_challenge = challenge_detector

    @property
    def clock(self) -> Clock:
        return self.http.clock

    def weekly(self, channel_id: str, start: date, end: date) -> Any:
        params = {"from": start.isoformat(), "to": end.isoformat()}
        return self.http.get_json(WEEKLY_PATH.format(channel_id=channel_id), params=params)

    def close(self) -> None:
        self.http.close()
