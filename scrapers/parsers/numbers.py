"""Turning the many spellings of counts and dates on scraped pages into ints and dates.

Pages write "1,234,567", "1 234 567", "\ufeff1234567", "54.2M", "+1.2K", "-3,001" or
"1234567.0"; dates come as epoch milliseconds, "20200105", "2020-01-05",
"2020/01/05" or "Jan 5th, 2020 (Sun)". Every function returns None rather than
raising, because a parser must never crash on a page it half understands.
"""

from __future__ import annotations

import datetime as dt
import re

_SUFFIXES = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000, "t": 1_000_000_000_000}
_NOISE = re.compile(r"[\s\ufeff\u00a0\u202f\u2009,'_]")
_COUNT = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)([kmbt]?)$", re.IGNORECASE)


def parse_count(text: object) -> int | None:
    """An integer count from a cell or a JS literal; None when it is not a number."""
    if text is None:
        return None
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return int(round(text))
    cleaned = _NOISE.sub("", str(text)).replace("\u2212", "-")
    match = _COUNT.match(cleaned)
    if not match:
        return None
    sign, number, suffix = match.groups()
    value = float(number) * _SUFFIXES.get(suffix.lower(), 1)
    return int(round(-value if sign == "-" else value))


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
_WEEKDAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?", re.IGNORECASE)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_TEXT_FORMATS = ("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y", "%m/%d/%Y")
# Social Blade's history starts in 2008; anything outside is a misread number, not a date.
_EARLIEST, _LATEST = dt.date(2005, 1, 1), dt.date(2100, 1, 1)


def _plausible(day: dt.date) -> dt.date | None:
    return day if _EARLIEST <= day < _LATEST else None


def epoch_to_date(value: float) -> dt.date | None:
    """UTC date of an epoch in milliseconds (Highcharts) or seconds."""
    try:
        seconds = value / 1000 if value > 10**11 else value
        return _plausible(dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date())
    except (OverflowError, OSError, ValueError):
        return None


def parse_day(text: object) -> dt.date | None:
    """A calendar date from any of the spellings seen on archived pages."""
    if text is None:
        return None
    raw = _NOISE.sub(" ", str(text)).strip().strip("\"'")
    try:
        compact = _COMPACT.match(raw.replace(" ", ""))
        if compact:
            return _plausible(dt.date(*map(int, compact.groups())))
        iso = _ISO.search(raw)
        if iso:
            return _plausible(dt.date(*map(int, iso.groups())))
        if _EPOCH.match(raw.replace(" ", "")):
            return epoch_to_date(float(raw.replace(" ", "")))
        words = _ORDINAL.sub(r"\1", _WEEKDAY.sub(" ", raw)).replace("(", " ").replace(")", " ")
        words = " ".join(words.replace(",", " ").split())
        for fmt in _TEXT_FORMATS:
            try:
                return _plausible(dt.datetime.strptime(words, fmt).date())
            except ValueError:
                continue
    except (ValueError, OverflowError):
        return None
    return None
