"""When to try again and how long to wait: one policy for every service.

Exponential backoff with full jitter (AWS architecture blog): wait a uniform
random time in [0, min(cap, 2**n)] before attempt n+1, so many clients that
failed together do not retry together. A server's Retry-After always wins.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

import httpx

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """5 tries, waits capped at 2**n s and at ``max_delay`` (300 s)."""

    max_attempts: int = 5
    base: float = 2.0
    max_delay: float = 300.0

    def backoff(self, attempt: int, rng: random.Random, scale: float = 1.0) -> float:
        """Full-jitter wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, scale * self.base ** attempt)
        return rng.uniform(0, ceiling)


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait (delta-seconds or HTTP-date), if it did."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(timezone.utc)
    return max((when - now).total_seconds(), 0.0)
