"""The shared HTTP behaviour: retries, backoff, Retry-After, breaker, pacing, redaction.

These run against httpx's MockTransport with a fake clock, so a 300 s backoff
takes microseconds and every wait can be asserted exactly.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timezone

import httpx
import pytest

from ingestion.http import (
    ChallengeError,
    CircuitOpenError,
    ClientError,
    FakeClock,
    MalformedBodyError,
    RetriesExhaustedError,
    ServiceClient,
)
from ingestion.http.policies import ServicePolicy
from ingestion.http.ratelimit import DailyQuota, TokenBucket, next_pacific_midnight
from ingestion.http.retry import RetryPolicy, retry_after_seconds


def scripted(*responses: httpx.Response | Exception):
    """A transport answering with ``responses`` in order, recording each request."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.MockTransport(handler), seen


def client(transport, clock=None, policy=None, **kwargs) -> ServiceClient:
    return ServiceClient("viewstats", "https://api.example.test", transport=transport,
                         clock=clock or FakeClock(), policy=policy or ServicePolicy(),
                         rng=random.Random(7), **kwargs)


def test_5xx_then_success_is_retried_and_returns_the_good_response():
    transport, seen = scripted(httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": 1}))
    assert client(transport).get_json("/x") == {"ok": 1}
    assert len(seen) == 3


def test_backoff_waits_are_full_jitter_under_two_to_the_n_seconds():
    clock = FakeClock()
    transport, _ = scripted(*[httpx.Response(500)] * 4, httpx.Response(200, json={}))
    client(transport, clock).get_json("/x")
    assert len(clock.sleeps) == 4
    for attempt, wait in enumerate(clock.sleeps, start=1):
        assert 0 <= wait <= 2 ** attempt


def test_backoff_never_exceeds_300_seconds():
    policy = RetryPolicy()
    rng = random.Random(1)
    assert max(policy.backoff(20, rng) for _ in range(200)) <= 300


def test_gives_up_after_five_attempts_with_a_typed_error():
    transport, seen = scripted(*[httpx.Response(503)] * 5)
    with pytest.raises(RetriesExhaustedError, match="5 attempts"):
        client(transport).get_json("/x")
    assert len(seen) == 5


def test_timeouts_are_retried():
    transport, seen = scripted(httpx.ReadTimeout("slow"), httpx.Response(200, json=[1]))
    assert client(transport).get_json("/x") == [1]
    assert len(seen) == 2


def test_other_4xx_is_not_retried():
    transport, seen = scripted(httpx.Response(404, json={"error": "nope"}))
    with pytest.raises(ClientError) as caught:
        client(transport).get_json("/x")
    assert caught.value.status == 404
    assert len(seen) == 1


def test_retry_after_wins_over_backoff():
    clock = FakeClock()
    transport, _ = scripted(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={}))
    client(transport, clock).get_json("/x")
    assert clock.sleeps == [7.0]


def test_retry_after_as_http_date_is_understood():
    now = datetime(2026, 1, 7, 12, 0, tzinfo=timezone.utc)
    response = httpx.Response(429, headers={"Retry-After": "Wed, 07 Jan 2026 12:00:30 GMT"})
    assert retry_after_seconds(response, now) == 30


def test_retry_after_longer_than_the_cap_opens_the_circuit_instead_of_stalling():
    transport, seen = scripted(httpx.Response(429, headers={"Retry-After": "3600"}))
    api = client(transport)
    with pytest.raises(CircuitOpenError):
        api.get_json("/x")
    with pytest.raises(CircuitOpenError):
        api.get_json("/x")  # fails fast: no second request
    assert len(seen) == 1


def test_consecutive_failures_open_the_circuit_for_a_cooldown():
    clock = FakeClock()
    policy = ServicePolicy(retry=RetryPolicy(max_attempts=1), breaker_threshold=2, breaker_cooldown_s=60)
    transport, seen = scripted(httpx.Response(500), httpx.Response(500), httpx.Response(200, json={"back": True}))
    api = client(transport, clock, policy)
    for _ in range(2):
        with pytest.raises(RetriesExhaustedError):
            api.get_json("/x")
    with pytest.raises(CircuitOpenError):
        api.get_json("/x")
    assert len(seen) == 2
    clock.advance(61)
    assert api.get_json("/x") == {"back": True}


def test_challenge_page_is_retried_slowly_then_raised_never_returned():
    clock = FakeClock()
    page = httpx.Response(403, html="<title>Just a moment...</title>")
    transport, seen = scripted(*[page] * 5)
    api = client(transport, clock, is_challenge=lambda r: "Just a moment" in r.text)
    with pytest.raises(ChallengeError):
        api.get_json("/x")
    assert len(seen) == 5
    assert sum(clock.sleeps) > 0


def test_non_json_body_on_success_is_a_malformed_body_error():
    transport, _ = scripted(httpx.Response(200, text='{"data": [1, 2'))
    with pytest.raises(MalformedBodyError) as caught:
        client(transport).get_json("/x")
    assert caught.value.excerpt.startswith('{"data"')


def test_token_bucket_paces_requests_at_its_rate():
    clock = FakeClock()
    bucket = TokenBucket(rate=2.0, capacity=2.0, clock=clock)
    for _ in range(6):
        bucket.acquire()
    assert clock.monotonic() == pytest.approx(2.0)  # 2 free, then 4 more at 2/s


def test_wayback_policy_paces_one_request_a_second():
    clock = FakeClock()
    transport, seen = scripted(*[httpx.Response(200, text="")] * 3)
    api = ServiceClient("wayback", "https://web.archive.org", transport=transport, clock=clock)
    for _ in range(3):
        api.get_text("/cdx/search/cdx")
    assert clock.monotonic() == pytest.approx(2.0)


def test_daily_quota_keeps_a_ten_percent_safety_buffer():
    quota = DailyQuota("youtube", 10_000, 0.9, FakeClock())
    assert quota.remaining == 9_000


def test_quota_resets_at_midnight_pacific():
    noon_utc = datetime(2026, 1, 7, 12, 0, tzinfo=timezone.utc)
    assert next_pacific_midnight(noon_utc) == datetime(2026, 1, 8, 8, 0, tzinfo=timezone.utc)


def test_secrets_are_redacted_from_errors_and_logs(monkeypatch, caplog):
    monkeypatch.setenv("YOUTUBE_API_KEY", "very-secret-key-123")
    caplog.set_level(logging.DEBUG)
    transport, _ = scripted(httpx.Response(503), httpx.Response(400, text="bad key very-secret-key-123"))
    api = client(transport)
    with pytest.raises(ClientError) as caught:
        api.get_json("/x", params={"key": "very-secret-key-123"})
    assert "very-secret-key-123" not in str(caught.value)
    assert "***" in str(caught.value)
    assert "very-secret-key-123" not in caplog.text
    assert caplog.text  # something was logged (httpx's request lines, our retry warning)
