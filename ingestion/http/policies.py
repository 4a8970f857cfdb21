"""How politely each service is called: rate, quota and retry settings in one table."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ingestion.http.retry import RetryPolicy


@dataclass(frozen=True)
class ServicePolicy:
    """``rate`` requests a second (None: unpaced), optional daily unit quota."""

    rate: float | None = None
    burst: float = 1.0
    daily_units: int | None = None
    quota_safety: float = 0.9
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker_threshold: int = 3
    breaker_cooldown_s: float = 600.0
    timeout_s: float = 30.0


POLICIES: dict[str, ServicePolicy] = {
    # 10,000 units a day, spent at most 90 %; pacing is the quota, not a rate.
    "youtube": ServicePolicy(daily_units=10_000, quota_safety=0.9),
    "wayback": ServicePolicy(rate=1.0, burst=1.0),
    "viewstats": ServicePolicy(rate=2.0, burst=2.0),
    # Spotify publishes no fixed rate; it answers 429 + Retry-After, which retry honours.
    "spotify": ServicePolicy(rate=10.0, burst=10.0),
    "spotify_accounts": ServicePolicy(rate=1.0, burst=5.0),
    # Graph API business discovery: 200 calls/hour/user; stay under with 1 call/20 s bursts of 20.
    "instagram": ServicePolicy(rate=1 / 20, burst=20.0),
}


def policy_for(service: str, unpaced: bool = False) -> ServicePolicy:
    """The service's policy; ``unpaced`` drops the request rate (quotas stay), as the sandbox asks."""
    policy = POLICIES.get(service, ServicePolicy())
    return replace(policy, rate=None) if unpaced else policy
