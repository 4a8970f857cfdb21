"""Wayback CDX client: 1 request a second, "Blocked Site" as a typed error, resume-key paging."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

from ingestion.coerce import BadValue
from ingestion.http import BlockedError, Clock, ServiceClient
from ingestion.http.challenge import challenge_detector
from ingestion.rejects import MALFORMED_ATTEMPTS
from ingestion.wayback.parsers import BadCdxRow, CdxPage, CdxRow, parse_cdx_json, parse_cdx_text
from ingestion.wayback.settings import CDX_PATH, PAGE_SIZE


def _blocked(response: httpx.Response) -> None:
    # The archive excludes the site on purpose: asking again cannot help.
    if response.status_code == 403 and "Blocked Site" in response.text:
        raise BlockedError("wayback", f"blocked site: {response.text.strip()[:200]}")


class WaybackClient:
    def __init__(self, http: ServiceClient | None = None, *, clock: Clock | None = None):
        self.http = http or ServiceClient("wayback", clock=clock)
        self.http.classify = _blocked
        self.http.is_challenge = challenge_detector

    @property
    def clock(self) -> Clock:
        return self.http.clock

    def cdx_page(self, params: dict[str, Any]) -> str:
        return self.http.get_text(CDX_PATH, params=params)

    def close(self) -> None:
        self.http.close()


@dataclass
class CdxListing:
    """Every capture of one page, once each, with what could not be read on the way."""

    rows: list[CdxRow] = field(default_factory=list)
    bad_rows: list[BadCdxRow] = field(default_factory=list)
    # (body, reason) of every page that could not be read whole, one per failed attempt.
    unreadable_pages: list[tuple[str, str]] = field(default_factory=list)


class UnreadableListing(BadValue):
    """A listing page stayed unreadable after retries; ``listing`` holds what was met until then."""

    def __init__(self, message: str, listing: CdxListing):
        super().__init__(message)
        self.listing = listing


def list_snapshots(client: WaybackClient, original_url: str, from_ts: str, to_ts: str, *,
                   output: str = "json", page_size: int = PAGE_SIZE) -> CdxListing:
    """Every capture of ``original_url`` between two CDX timestamps, in index order, once each.

    Follows the resume key page after page; an empty page ends the listing (the
    real server sends one after a full last page). Duplicate index lines (the
    same capture listed twice) are dropped; lines that are not captures are
    returned as ``bad_rows``. A page that cannot be read whole (cut short) is
    fetched again, up to ``MALFORMED_ATTEMPTS`` times, then
    :class:`UnreadableListing` is raised (the listing is incomplete, so none of
    it may count as complete). Raises :class:`BlockedError` for an excluded
    site. ``output`` is ``"json"`` or ``"text"``.
    """
    parse = parse_cdx_json if output == "json" else parse_cdx_text
    params: dict[str, Any] = {"url": original_url, "from": from_ts, "to": to_ts, "limit": page_size,
                              "showResumeKey": "true"}
    if output == "json":
        params["output"] = "json"
    listing = CdxListing()
    seen: dict[CdxRow, None] = {}
    resume: str | None = None
    while True:
        page = _read_page(client, parse, dict(params, resumeKey=resume) if resume else params, listing)
        for row in page.rows:
            seen.setdefault(row, None)
        listing.bad_rows.extend(page.bad_rows)
        resume = page.resume_key
        if not (page.rows or page.bad_rows) or not resume:
            listing.rows = list(seen)
            return listing


def _read_page(client: WaybackClient, parse: Callable[[str], CdxPage], params: dict[str, Any],
               listing: CdxListing) -> CdxPage:
    """One page, parsed; a page that cannot be read whole is fetched again, then given up on."""
    for attempt in range(1, MALFORMED_ATTEMPTS + 1):
        body = client.cdx_page(params)
        try:
            return parse(body)
        except BadValue as exc:
            reason = f"{exc} (attempt {attempt} of {MALFORMED_ATTEMPTS})"
            listing.unreadable_pages.append((body, reason))
    raise UnreadableListing(f"CDX page unreadable after {MALFORMED_ATTEMPTS} attempts: {reason}", listing)
