"""Wayback CDX client: 1 request a second, "Blocked Site" as a typed error, resume-key paging."""

from __future__ import annotations

from typing import Any

import httpx

from ingestion.http import BlockedError, Clock, ServiceClient
from ingestion.http.challenge import challenge_detector
from ingestion.wayback.parsers import CdxRow, parse_cdx_json, parse_cdx_text
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


def list_snapshots(client: WaybackClient, original_url: str, from_ts: str, to_ts: str, *,
                   output: str = "json", page_size: int = PAGE_SIZE) -> list[CdxRow]:
    """Every capture of ``original_url`` between two CDX timestamps, in index order, once each.

    Follows the resume key page after page; an empty page ends the listing (the
    real server sends one after a full last page). Duplicate index lines (the
    same capture listed twice) are dropped. Raises :class:`BlockedError` for an
    excluded site. ``output`` is ``"json"`` or ``"text"``.
    """
    parse = parse_cdx_json if output == "json" else parse_cdx_text
    params: dict[str, Any] = {"url": original_url, "from": from_ts, "to": to_ts, "limit": page_size,
                              "showResumeKey": "true"}
    if output == "json":
        params["output"] = "json"
    seen: dict[CdxRow, None] = {}
    resume: str | None = None
    while True:
        page_params = dict(params, resumeKey=resume) if resume else params
        rows, resume = parse(client.cdx_page(page_params))
        for row in rows:
            seen.setdefault(row, None)
        if not rows or not resume:
            return list(seen)
