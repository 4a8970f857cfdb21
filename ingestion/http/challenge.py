"""Recognising anti-bot pages so they are retried slowly and never parsed as data.

Cloudflare's managed challenge ("Just a moment...", ``_cf_chl_opt``, ``cf-chl``
form and widget ids, the ``cf-mitigated: challenge`` header), its block page
("Attention Required! | Cloudflare") and any HTML body from an endpoint that
only ever answers JSON or plain text all count.
"""

from __future__ import annotations

import httpx

CHALLENGE_MARKERS = (
    "just a moment",
    "_cf_chl_opt",
    "cf-chl",
    "__cf_chl_",
    "challenge-platform",
    "attention required! | cloudflare",
    "checking if the site connection is secure",
    "verifying you are human",
)


def is_challenge_page(response: httpx.Response) -> bool:
    """True for a challenge or block page, whatever its status code (200 included)."""
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    head = response.text[:4000].lower()
    return any(marker in head for marker in CHALLENGE_MARKERS)


def is_unexpected_html(response: httpx.Response) -> bool:
    """An HTML body where the endpoint promises JSON or text: a block page we do not know yet."""
    if response.status_code not in (200, 202, 403, 429):
        return False  # 5xx are retried as such; a 404 page is an answer, not a challenge
    content_type = response.headers.get("content-type", "").lower()
    start = response.text[:200].lstrip().lower()
    return "text/html" in content_type or start.startswith(("<!doctype html", "<html"))


def challenge_detector(response: httpx.Response) -> bool:
    """The hook for JSON/text APIs: a known challenge page or any unexpected HTML."""
    return is_challenge_page(response) or is_unexpected_html(response)
