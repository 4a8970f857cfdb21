"""Time as a dependency: production uses the wall clock, tests a fake that never sleeps.

Backoff, rate limits and circuit breakers all ask this object for the time and
for a pause, so a test can exercise a 300 s backoff in microseconds.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone


class Clock:
    """The real clock: monotonic seconds for pacing, UTC datetimes for deadlines."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock(Clock):
    """A clock that advances only when slept on; records every pause for assertions."""

    def __init__(self, start: datetime | None = None):
        self._start = start or datetime(2026, 1, 7, 12, 0, tzinfo=timezone.utc)
        self._elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self._elapsed

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self._elapsed += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        self._elapsed += seconds
