"""Strict conversions of API values: a bad value is an error to reject, never a guess.

APIs send counts as strings ("160361638"), as ints, sometimes as floats with a
zero fraction; anything else (negative, fractional, text, bool) raises
:class:`BadValue` so the caller can put the payload in ``rejects``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any


class BadValue(ValueError):
    """A field whose value cannot be what the API documents."""


def to_count(value: Any, field: str, nullable: bool = True) -> int | None:
    """A non-negative integer from an int, integral float or digit string."""
    if value is None:
        if nullable:
            return None
        raise BadValue(f"{field} is missing")
    if isinstance(value, bool):
        raise BadValue(f"{field} is a boolean ({value!r})")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue(f"{field} is fractional ({value!r})")
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text.lstrip("-").isdigit():
            raise BadValue(f"{field} is not a number ({value!r})")
        value = int(text)
    if not isinstance(value, int):
        raise BadValue(f"{field} has type {type(value).__name__} ({value!r})")
    if value < 0:
        raise BadValue(f"{field} is negative ({value})")
    return value


def to_text(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BadValue(f"{field} is not text ({value!r})")


def to_bool(value: Any, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise BadValue(f"{field} is not a boolean ({value!r})")


def to_timestamp(value: Any, field: str) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text, with or without fractional seconds or 'Z'."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadValue(f"{field} is not a timestamp ({value!r})")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadValue(f"{field} is not ISO 8601 ({value!r})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def to_date(value: Any, field: str) -> date:
    """A date from 'YYYY-MM-DD' (a timestamp's date part is accepted)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise BadValue(f"{field} is not a date ({value!r})")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise BadValue(f"{field} is not a date ({value!r})") from None


def week_ending_sunday(day: date) -> date:
    """The Sunday that closes ``day``'s week (Monday..Sunday), ``day`` itself on a Sunday."""
    return day + timedelta(days=(6 - day.weekday()))
