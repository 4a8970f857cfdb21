"""Stop calling a service that is down or has told us to go away.

A breaker opens after ``threshold`` consecutive failed calls for a cool-down,
or explicitly until a given time (YouTube's quota reset at midnight Pacific).
While open every call fails fast with :class:`CircuitOpenError` instead of
burning retries, quota or politeness.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ingestion.http.clock import Clock
from ingestion.http.errors import CircuitOpenError, QuotaExhaustedError


class CircuitBreaker:
    def __init__(self, service: str, clock: Clock, threshold: int = 3,
                 cooldown: timedelta = timedelta(minutes=10)):
        self.service = service
        self.clock = clock
        self.threshold = threshold
        self.cooldown = cooldown
        self.failures = 0
        self.open_until: datetime | None = None
        self.reason = ""
        self.quota = False

    def check(self) -> None:
        """Raise if open; a breaker past its deadline closes (half-open: one call decides)."""
        if self.open_until is None:
            return
        if self.clock.now() >= self.open_until:
            self.open_until, self.reason, self.quota = None, "", False
            self.failures = self.threshold - 1  # one more failure re-opens it
            return
        error = QuotaExhaustedError if self.quota else CircuitOpenError
        raise error(self.service, self.open_until, self.reason)

    def record_success(self) -> None:
        self.failures = 0

    def record_failure(self, reason: str) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            self.open(self.clock.now() + self.cooldown, f"{self.failures} consecutive failures, last: {reason}")

    def open(self, until: datetime, reason: str, quota: bool = False) -> None:
        self.open_until, self.reason, self.quota = until, reason, quota

