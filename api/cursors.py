"""Opaque page cursors: where the previous page stopped, bound to the query that issued it.

A cursor is base64url(JSON) of the last row's sort key plus a fingerprint of the
filters; keyset paging on a unique order walks every row exactly once even while
other pages are being read, and a cursor replayed with other filters is refused
(422) instead of silently skipping rows.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any


class CursorError(ValueError):
    """A cursor this API did not issue, or issued for other filters."""


def fingerprint(filters: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()[:12]


def encode(filters: dict[str, Any], position: dict[str, Any]) -> str:
    payload = {"f": fingerprint(filters), "p": position}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(token: str | None, filters: dict[str, Any]) -> dict[str, Any] | None:
    """The position a cursor points after, or None for the first page; raises CursorError."""
    if token is None:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        position, issued_for = payload["p"], payload["f"]
    except (ValueError, TypeError, KeyError):
        raise CursorError("not a cursor issued by this API: pass `next_cursor` from the previous page unchanged") from None
    if issued_for != fingerprint(filters) or not isinstance(position, dict):
        raise CursorError("this cursor was issued for other filters: repeat the first page's parameters with it")
    return position
