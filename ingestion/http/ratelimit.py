"""Pacing so we stay polite and inside quotas instead of learning limits from 429s.

Two shapes: a token bucket for request rates (Wayback 1/s, ViewStats 2/s), and
a daily unit budget for YouTube, whose quota resets at midnight Pacific time and
which we never spend beyond a safety share (90 %) of.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ingestion.http.clock import Clock
from ingestion.http.errors import QuotaExhaustedError

PACIFIC = ZoneInfo("America/Los_Angeles")


class TokenBucket:
    """``rate`` tokens a second, bursts up to ``capacity``; ``acquire`` waits for a token."""

    def __init__(self, rate: float, capacity: float, clock: Clock):
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self._tokens = capacity
        self._stamp = clock.monotonic()

    def _refill(self) -> None:
        now = self.clock.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def acquire(self, cost: float = 1.0) -> float:
        """Take ``cost`` tokens, sleeping as long as needed; returns the seconds waited."""
        waited = 0.0
        self._refill()
        while self._tokens < cost:
            pause = (cost - self._tokens) / self.rate
            self.clock.sleep(pause)
            waited += pause
            self._refill()
        self._tokens -= cost
        return waited


def next_pacific_midnight(now: datetime) -> datetime:
    """When a Google API daily quota resets after ``now`` (an aware datetime)."""
    local = now.astimezone(PACIFIC)
    tomorrow = local.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=PACIFIC)


def pacific_day(now: datetime) -> str:
    """The quota day ``now`` falls in, as ISO text (state-friendly)."""
    return now.astimezone(PACIFIC).date().isoformat()


class DailyQuota:
    """Units a service lets us spend a day, kept under ``safety`` of ``daily_units``.

    ``used`` can be seeded from persisted state so a second run on the same
    Pacific day knows what the first one spent.
    """

    def __init__(self, service: str, daily_units: int, safety: float, clock: Clock,
                 used: int = 0, day: str | None = None):
        self.service = service
        self.limit = int(daily_units * safety)
        self.clock = clock
        self.day = day or pacific_day(clock.now())
        self.used = used if day in (None, pacific_day(clock.now())) else 0

    def _roll(self) -> None:
        today = pacific_day(self.clock.now())
        if today != self.day:
            self.day, self.used = today, 0

    @property
    def remaining(self) -> int:
        self._roll()
        return self.limit - self.used

    def spend(self, units: int) -> None:
        """Reserve ``units`` or raise :class:`QuotaExhaustedError` until the reset."""
        self._roll()
        if self.used + units > self.limit:
            raise QuotaExhaustedError(
                self.service, next_pacific_midnight(self.clock.now()),
                f"own budget: {self.used} of {self.limit} units used today",
            )
        self.used += units
