"""Pure parsing of CDX server answers, both ``output=json`` and the plain-text default.

Shapes from realdata/cdx: JSON is a header row, rows, then ``[]`` and
``["<resumeKey>"]`` when paged; text is space-separated rows, then a blank
line and the resume key; the page after the last full one is empty (0 bytes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from ingestion.coerce import BadValue
from ingestion.wayback.settings import CDX_FIELDS


@dataclass(frozen=True)
class CdxRow:
    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str

    @property
    def snapshot_at(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)

    @property
    def archive_url(self) -> str:
        """Where the capture is replayed (``id_`` asks for the page without the Wayback toolbar)."""
        return f"/web/{self.timestamp}id_/{self.original}"


def _row(fields: list[str], header: tuple[str, ...] = CDX_FIELDS) -> CdxRow:
    if len(fields) != len(header):
        raise BadValue(f"CDX row has {len(fields)} fields, expected {len(header)}: {fields!r}")
    values = dict(zip(header, fields))
    timestamp = values["timestamp"]
    if not (timestamp.isdigit() and 4 <= len(timestamp) <= 14):
        raise BadValue(f"CDX timestamp is not digits: {timestamp!r}")
    values["timestamp"] = timestamp.ljust(14, "0")
    return CdxRow(**{k: values[k] for k in CDX_FIELDS})


def parse_cdx_json(text: str) -> tuple[list[CdxRow], str | None]:
    """(rows, resume key) of an ``output=json`` page."""
    if not text.strip():
        return [], None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BadValue(f"CDX JSON does not parse: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(r, list) for r in data):
        raise BadValue("CDX JSON is not a list of rows")
    if not data:
        return [], None
    header = tuple(data[0])
    if not set(CDX_FIELDS) <= set(header):
        raise BadValue(f"CDX JSON header lacks fields: {header!r}")
    rows, resume = [], None
    body = data[1:]
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        resume = body[-1][0]
        body = body[:-2]
    for fields in body:
        if fields:
            row = _row([str(f) for f in fields], header)
            rows.append(row)
    return rows, resume


def parse_cdx_text(text: str) -> tuple[list[CdxRow], str | None]:
    """(rows, resume key) of a plain-text page (space-separated, key after a blank line)."""
    lines = text.splitlines()
    resume = None
    if "" in lines:
        blank = lines.index("")
        tail = [line for line in lines[blank + 1:] if line.strip()]
        if len(tail) == 1 and " " not in tail[0].strip():
            resume = tail[0].strip()
        lines = lines[:blank]
    return [_row(line.split(" ")) for line in lines if line.strip()], resume
