"""Typed failures of an external service, so callers branch on the kind, not on text.

Every message is redacted before it is built: these exceptions end up in logs,
Dagster run records and dlt traces, none of which may hold a credential.
"""

from __future__ import annotations

from datetime import datetime

from ingestion.http.redact import redact


class ServiceError(RuntimeError):
    """Base of every failure talking to an external service."""

    def __init__(self, service: str, message: str):
        self.service = service
        super().__init__(redact(f"{service}: {message}"))


class ClientError(ServiceError):
    """A 4xx the service will answer the same way again: never retried."""

    def __init__(self, service: str, status: int, body: str, url: str = ""):
        self.status = status
        self.body = redact(body[:500])
        super().__init__(service, f"HTTP {status} for {url}: {self.body}")

    @property
    def is_auth(self) -> bool:
        """Credentials refused: a configuration problem that must fail the run, not one item."""
        return self.status in (401, 403)


class RetriesExhaustedError(ServiceError):
    """Timeouts, 5xx or 429 persisted through every allowed attempt."""


class CircuitOpenError(ServiceError):
    """The service is switched off for this process until ``open_until``."""

    def __init__(self, service: str, open_until: datetime, reason: str):
        self.open_until = open_until
        self.reason = reason
        super().__init__(service, f"circuit open until {open_until.isoformat()} ({reason})")


class QuotaExhaustedError(CircuitOpenError):
    """The daily quota is spent (by our own budget or by the service's 403)."""


class BlockedError(ServiceError):
    """The service refuses this resource on purpose (Wayback "Blocked Site")."""


class ChallengeError(ServiceError):
    """An anti-bot page (CAPTCHA, Cloudflare challenge) came back instead of data."""


class MalformedBodyError(ServiceError):
    """A 2xx whose body is not what the endpoint promises (truncated JSON, HTML)."""

    def __init__(self, service: str, reason: str, excerpt: str):
        self.reason = reason
        self.excerpt = redact(excerpt[:500])
        super().__init__(service, f"{reason}: {self.excerpt[:200]!r}")
