"""Shared HTTP behaviour (pacing, retries, circuit breaker, redaction) for every client."""

from ingestion.http.clock import Clock, FakeClock
from ingestion.http.client import ServiceClient, decode_json
from ingestion.http.errors import (
    BlockedError,
    ChallengeError,
    CircuitOpenError,
    ClientError,
    MalformedBodyError,
    QuotaExhaustedError,
    RetriesExhaustedError,
    ServiceError,
)
from ingestion.http.redact import redact

__all__ = [
    "BlockedError", "ChallengeError", "CircuitOpenError", "ClientError", "Clock", "FakeClock",
    "MalformedBodyError", "QuotaExhaustedError", "RetriesExhaustedError", "ServiceClient",
    "ServiceError", "decode_json", "redact",
]
