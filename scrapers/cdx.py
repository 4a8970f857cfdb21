"""Reading Wayback CDX responses (plain text or ``output=json``) into capture rows.

Both formats end a page with a resume key when ``showResumeKey=true``: plain
text as a blank line then the key, JSON as ``[]`` then ``["<key>"]``. The last
page of a paged listing can be an empty body. Rows repeat (same capture listed
twice), which selection collapses later.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

DEFAULT_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


@dataclass(frozen=True)
class Capture:
    """One archived copy of a page."""

    timestamp: str  # 14 digits, as in /web/<timestamp>/<original>
    original: str
    statuscode: str
    digest: str

    @property
    def captured_at(self) -> dt.datetime:
        return dt.datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S")

    @property
    def captured_on(self) -> dt.date:
        return self.captured_at.date()


def _capture(values: dict[str, str]) -> Capture | None:
    timestamp = values.get("timestamp", "")
    if not (timestamp.isdigit() and len(timestamp) >= 8):
        return None
    try:
        dt.datetime.strptime(timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return Capture(timestamp, values.get("original", ""), values.get("statuscode", ""), values.get("digest", ""))


def _parse_json(body: str) -> tuple[list[Capture], str | None]:
    data = json.loads(body)
    if not isinstance(data, list) or not data:
        return [], None
    header, rows = [str(h) for h in data[0]], data[1:]
    resume = None
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume, rows = str(rows[-1][0]), rows[:-2]
    captures = []
    for row in rows:
        if isinstance(row, list) and len(row) == len(header):
            capture = _capture(dict(zip(header, map(str, row))))
            if capture:
                captures.append(capture)
    return captures, resume


def _parse_plain(body: str, fields: tuple[str, ...]) -> tuple[list[Capture], str | None]:
    lines = body.splitlines()
    resume = None
    # The resume key follows the only blank line of the page.
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) >= 2 and not lines[-2].strip() and len(lines[-1].split()) == 1:
        resume, lines = lines[-1].strip(), lines[:-2]
    captures = []
    for line in lines:
        parts = line.split(" ")
        if len(parts) == len(fields):
            capture = _capture(dict(zip(fields, parts)))
            if capture:
                captures.append(capture)
    return captures, resume


def parse_cdx(body: str, fields: tuple[str, ...] = DEFAULT_FIELDS) -> tuple[list[Capture], str | None]:
    """(captures, resume key or None) of one CDX response page; never raises on a malformed body."""
    text = (body or "").lstrip("\ufeff")
    if not text.strip():
        return [], None
    if text.lstrip().startswith("["):
        try:
            return _parse_json(text)
        except ValueError:
            return [], None
    return _parse_plain(text, fields)
