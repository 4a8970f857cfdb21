"""Recognising rate-limit and CAPTCHA pages so they are retried, never parsed as data.

Wayback and Social Blade both sit behind Cloudflare-style challenges, served with
403, 429 or even 200. A challenge page holds no chart, so it would parse as
"no layout" and be mistaken for a layout change; detecting it first keeps the
two apart.
"""

from __future__ import annotations

import re

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.IGNORECASE)
_BLOCK_TITLES = (
    "just a moment",
    "attention required",
    "access denied",
    "too many requests",
    "rate limit",
    "security check",
    "are you a robot",
    "captcha",
    "please wait",
    "ddos protection",
)
_STRONG_MARKERS = (
    "cf-browser-verification",
    "cf_chl_opt",
    "/cdn-cgi/challenge-platform",
    "challenge-form",
    "checking your browser before accessing",
    "enable javascript and cookies to continue",
    "why have i been blocked?",
    "you have been rate limited",
    "you are being rate limited",
    "too many requests from your ip",
)
_WEAK_MARKERS = ("g-recaptcha", "h-captcha", "hcaptcha", "captcha")
_DATA_MARKERS = ("highcharts", "new dygraph", "monthly listeners", "monthlylisteners")


def is_block_page(html: str) -> bool:
    """True for a challenge / rate-limit page, False for anything that may hold data."""
    if not html:
        return False
    text = html[:200_000].lower()
    title = _TITLE.search(text)
    if title and any(marker in title.group(1) for marker in _BLOCK_TITLES):
        return True
    if any(marker in text for marker in _STRONG_MARKERS):
        return True
    # Real pages can embed a login reCAPTCHA; only a small page with no data is a challenge.
    has_data = any(marker in text for marker in _DATA_MARKERS)
    return len(text) < 30_000 and not has_data and any(marker in text for marker in _WEAK_MARKERS)
