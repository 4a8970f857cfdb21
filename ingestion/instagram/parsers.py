"""Pure parsing of business-discovery answers into ``raw_instagram.accounts`` rows."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ingestion.coerce import BadValue, to_count, to_text
from ingestion.instagram.settings import TOKEN_ERROR_CODE, UNKNOWN_USER


def account_row(payload: Any, username: str, observed_on: date, collected_at: datetime) -> dict[str, Any]:
    """The discovered account's counters; raises :class:`BadValue` on a wrong shape."""
    discovery = payload.get("business_discovery") if isinstance(payload, dict) else None
    if not isinstance(discovery, dict):
        raise BadValue("response has no business_discovery object")
    return {
        "username": username,
        "observed_on": observed_on,
        "ig_id": to_text(discovery.get("id"), "id"),
        "followers_count": to_count(discovery.get("followers_count"), "followers_count"),
        "media_count": to_count(discovery.get("media_count"), "media_count"),
        "is_active": True,
        "collected_at": collected_at,
    }


def inactive_account(username: str, observed_on: date, collected_at: datetime) -> dict[str, Any]:
    return {"username": username, "observed_on": observed_on, "ig_id": None, "followers_count": None,
            "media_count": None, "is_active": False, "collected_at": collected_at}


def _graph_error(body: str) -> dict[str, Any]:
    try:
        error = json.loads(body).get("error", {})
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def is_unknown_user_error(body: str) -> bool:
    """The OAuthException Graph returns for a username that is not a discoverable account."""
    error = _graph_error(body)
    return (error.get("code"), error.get("error_subcode")) == UNKNOWN_USER


def is_token_error(body: str) -> bool:
    """Graph's 400 for an invalid or expired access token (code 190): fail the run, not one account."""
    return _graph_error(body).get("code") == TOKEN_ERROR_CODE
