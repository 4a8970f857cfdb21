"""Pure parsing of CDX server answers, both ``output=json`` and the plain-text default.

The one CDX parser of the project (the Social Blade spider reads what this
parser stored in ``raw_wayback.snapshots``). Shapes from the real recordings in
``tests/fixtures/realdata/cdx``: JSON is a header row, rows, then ``[]`` and
``["<resumeKey>"]`` when paged; text is space-separated rows, then a blank line
and the resume key; the page after the last full one is empty (0 bytes).

Two kinds of trouble, two answers. A page that cannot be read as a whole (JSON
that does not parse, a text page cut mid-line) raises :class:`BadValue`: its
resume key may be lost, so the page must be fetched again, never half-used. A
single bad row of an otherwise whole page (wrong field count, a timestamp that
is not a date) is returned in :attr:`CdxPage.bad_rows` with its reason, so the
caller stores it as a reject and keeps the page's other rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

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
    def captured_on(self) -> date:
        return self.snapshot_at.date()

    @property
    def archive_url(self) -> str:
        """Where the capture is replayed (``id_`` asks for the page without the Wayback toolbar)."""
        return f"/web/{self.timestamp}id_/{self.original}"


@dataclass(frozen=True)
class BadCdxRow:
    """One index line that is not a capture, kept with the reason so it can be rejected."""

    line: str
    reason: str


@dataclass(frozen=True)
class CdxPage:
    rows: list[CdxRow]
    resume_key: str | None = None
    bad_rows: list[BadCdxRow] = field(default_factory=list)


def _row(fields: list[str], header: tuple[str, ...] = CDX_FIELDS) -> CdxRow:
    """A capture from one index line; :class:`BadValue` says why the line is not one."""
    if len(fields) != len(header):
        raise BadValue(f"CDX row has {len(fields)} fields, expected {len(header)}")
    values = dict(zip(header, fields))
    timestamp = values["timestamp"]
    if not (timestamp.isdigit() and 4 <= len(timestamp) <= 14):
        raise BadValue(f"CDX timestamp is not 4 to 14 digits: {timestamp!r}")
    values["timestamp"] = timestamp.ljust(14, "0")
    row = CdxRow(**{k: values[k] for k in CDX_FIELDS})
    try:
        row.snapshot_at  # noqa: B018 - a timestamp like 20191345... has digits but is no date
    except ValueError:
        raise BadValue(f"CDX timestamp is not a date: {timestamp!r}") from None
    return row


def _page(lines: list[tuple[str, list[str]]], header: tuple[str, ...], resume: str | None) -> CdxPage:
    rows, bad = [], []
    for line, fields in lines:
        try:
            rows.append(_row(fields, header))
        except BadValue as exc:
            bad.append(BadCdxRow(line, str(exc)))
    return CdxPage(rows, resume, bad)


def parse_cdx_json(text: str) -> CdxPage:
    """Rows, resume key and bad rows of an ``output=json`` page."""
    if not text.strip():
        return CdxPage([])
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BadValue(f"CDX JSON does not parse (cut short?): {exc}") from None
    if not isinstance(data, list) or not all(isinstance(r, list) for r in data):
        raise BadValue("CDX JSON is not a list of rows")
    if not data:
        return CdxPage([])
    header = tuple(str(h) for h in data[0])
    if not set(CDX_FIELDS) <= set(header):
        raise BadValue(f"CDX JSON header lacks fields: {header!r}")
    resume = None
    body = data[1:]
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        resume = str(body[-1][0])
        body = body[:-2]
    return _page([(json.dumps(r), [str(f) for f in r]) for r in body if r], header, resume)


def parse_cdx_text(text: str) -> CdxPage:
    """Rows, resume key and bad rows of a plain-text page (space-separated, key after a blank line)."""
    if not text.strip():
        return CdxPage([])
    if not text.endswith("\n"):
        # The real server ends every line, the last one included: this page was cut.
        raise BadValue("CDX text page stops mid-line (cut short)")
    lines = text.splitlines()
    resume = None
    if "" in lines:
        blank = lines.index("")
        tail = [line for line in lines[blank + 1:] if line.strip()]
        if len(tail) == 1 and " " not in tail[0].strip():
            resume = tail[0].strip()
        lines = lines[:blank]
    return _page([(line, line.split(" ")) for line in lines if line.strip()], CDX_FIELDS, resume)
