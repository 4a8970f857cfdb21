"""The one HTTP behaviour every service client shares.

Each call goes: circuit breaker check -> rate limit / quota -> request ->
service-specific classification (a hook) -> success, retry with backoff, or a
typed error. Services differ only in their hooks and :mod:`policies` entry,
so retry and redaction rules cannot drift apart between clients.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from datetime import timedelta
from typing import Any, Callable

import httpx

from ingestion.http.breaker import CircuitBreaker
from ingestion.http.clock import Clock
from ingestion.http.errors import (
    ChallengeError,
    CircuitOpenError,
    ClientError,
    MalformedBodyError,
    RetriesExhaustedError,
)
from ingestion.http.policies import ServicePolicy, policy_for
from ingestion.http.ratelimit import DailyQuota, TokenBucket
from ingestion.http.redact import install_log_redaction, redact
from ingestion.http.retry import is_retryable_status, retry_after_seconds
from urated.settings import pacing_off, service_url

# httpx logs every URL at INFO, query string (API keys) included.
install_log_redaction("httpx", "httpcore")

# A challenge page means "slow down": back off this many times longer than for a 5xx.
CHALLENGE_BACKOFF_SCALE = 15.0

ResponseHook = Callable[[httpx.Response], None]
ChallengeDetector = Callable[[httpx.Response], bool]


class ServiceClient:
    """An httpx client for one service with pacing, retries, a breaker and redaction.

    ``classify`` may raise a typed error for service-specific answers (YouTube's
    quotaExceeded, Wayback's Blocked Site) before the generic status handling;
    ``is_challenge`` flags anti-bot pages that must be retried slowly, never parsed.
    """

    def __init__(
        self,
        service: str,
        base_url: str | None = None,
        *,
        policy: ServicePolicy | None = None,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        headers: dict[str, str] | None = None,
        rng: random.Random | None = None,
        breaker: CircuitBreaker | None = None,
        quota: DailyQuota | None = None,
        classify: ResponseHook | None = None,
        is_challenge: ChallengeDetector | None = None,
    ):
        self.service = service
        self.base_url = (base_url or service_url(service)).rstrip("/")
        self.policy = policy or policy_for(service, unpaced=pacing_off(self.base_url))
        self.clock = clock or Clock()
        self.rng = rng or random.Random()
        self.bucket = TokenBucket(self.policy.rate, self.policy.burst, self.clock) if self.policy.rate else None
        if quota is None and self.policy.daily_units:
            quota = DailyQuota(service, self.policy.daily_units, self.policy.quota_safety, self.clock)
        self.quota = quota
        self.breaker = breaker or CircuitBreaker(
            service, self.clock, self.policy.breaker_threshold,
            timedelta(seconds=self.policy.breaker_cooldown_s),
        )
        self.classify = classify
        self.is_challenge = is_challenge
        self.stats: Counter[str] = Counter()
        self.log = logging.getLogger(f"urated.ingestion.{service}")
        self._http = httpx.Client(
            base_url=self.base_url, timeout=self.policy.timeout_s, transport=transport,
            headers=headers or {}, follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "ServiceClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _warn(self, message: str) -> None:
        self.log.warning(redact(message))

    def request(self, method: str, path: str, *, cost: int = 1, **kwargs: Any) -> httpx.Response:
        """A response with status < 400, or a typed :class:`ServiceError`."""
        retry = self.policy.retry
        challenged = False
        reason = ""
        for attempt in range(1, retry.max_attempts + 1):
            self.breaker.check()
            if self.bucket:
                self.bucket.acquire()
            if self.quota:
                self.quota.spend(cost)
            self.stats["requests"] += 1
            wait: float | None = None
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:  # timeouts, resets, refused connections
                reason = f"{type(exc).__name__} on {method} {path}"
                self.stats["transport_errors"] += 1
            else:
                if self.classify:
                    self.classify(response)
                status = response.status_code
                if self.is_challenge and self.is_challenge(response):
                    challenged = True
                    reason = f"anti-bot challenge page (HTTP {status}) on {path}"
                    self.stats["challenges"] += 1
                    wait = retry.backoff(attempt, self.rng, CHALLENGE_BACKOFF_SCALE)
                elif status < 400:
                    self.breaker.record_success()
                    return response
                elif is_retryable_status(status):
                    reason = f"HTTP {status} on {path}"
                    self.stats[f"status_{status}"] += 1
                    wait = self._server_wait(response)
                else:
                    raise ClientError(self.service, status, response.text, str(response.request.url))
            if attempt == retry.max_attempts:
                break
            if wait is None:
                wait = retry.backoff(attempt, self.rng)
            self._warn(f"{self.service}: {reason}; retry {attempt}/{retry.max_attempts - 1} in {wait:.1f}s")
            self.clock.sleep(wait)
        self.breaker.record_failure(reason)
        error = ChallengeError if challenged else RetriesExhaustedError
        raise error(self.service, f"gave up after {retry.max_attempts} attempts: {reason}")

    def _server_wait(self, response: httpx.Response) -> float | None:
        """Retry-After as asked; beyond our backoff cap, open the breaker instead of stalling."""
        asked = retry_after_seconds(response, self.clock.now())
        if asked is None:
            return None
        if asked > self.policy.retry.max_delay:
            until = self.clock.now() + timedelta(seconds=asked)
            self.breaker.open(until, f"Retry-After {asked:.0f}s")
            raise CircuitOpenError(self.service, until, f"server asked to wait {asked:.0f}s")
        return asked

    def get_json(self, path: str, *, cost: int = 1, **kwargs: Any) -> Any:
        """GET and decode JSON; a non-JSON 2xx body is a :class:`MalformedBodyError`."""
        response = self.request("GET", path, cost=cost, **kwargs)
        return decode_json(self.service, response)

    def get_text(self, path: str, **kwargs: Any) -> str:
        return self.request("GET", path, **kwargs).text


def decode_json(service: str, response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedBodyError(service, f"body is not JSON ({exc.__class__.__name__})", response.text) from None
