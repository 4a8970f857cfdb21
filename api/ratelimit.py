"""Per-key rate limits with the ``limits`` library (fixed windows, in-process memory).

Each key has its own rate (``600/minute`` by default, set per key at creation);
callers without a valid key (``/v1/health``, and every 401) share a limit per client
address, so guessing keys is throttled too. Memory storage counts within one server
process, which is what ``make api`` runs (one uvicorn worker). The asyncio flavour of
the library: the synchronous memory storage starts a timer thread every few
milliseconds to expire counters, which costs more than the rest of a cached answer.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import limits
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import FixedWindowRateLimiter

ANONYMOUS_RATE = "600/minute"


@dataclass(frozen=True)
class Quota:
    """One request's standing against its limit: what the X-RateLimit-* headers say."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # epoch seconds when the window resets
    retry_after: int  # whole seconds until then (at least 1)

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """Counts requests per identity (a key id, or ``anon:<address>``) against a rate string."""

    def __init__(self, anonymous_rate: str = ANONYMOUS_RATE):
        self._limiter = FixedWindowRateLimiter(MemoryStorage())
        self._items: dict[str, limits.RateLimitItem] = {}
        self.anonymous_rate = anonymous_rate

    def _item(self, rate: str) -> limits.RateLimitItem:
        item = self._items.get(rate)
        if item is None:
            item = self._items[rate] = limits.parse(rate)
        return item

    async def hit(self, identity: str, rate: str) -> Quota:
        """Count one request; ``allowed`` is False once the window's budget is spent."""
        item = self._item(rate)
        allowed = await self._limiter.hit(item, identity)
        stats = await self._limiter.get_window_stats(item, identity)
        return Quota(allowed=allowed, limit=item.amount, remaining=stats.remaining,
                     reset_at=math.ceil(stats.reset_time), retry_after=max(1, math.ceil(stats.reset_time - time.time())))

    async def hit_anonymous(self, address: str) -> Quota:
        return await self.hit(f"anon:{address}", self.anonymous_rate)
