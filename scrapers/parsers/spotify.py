"""Monthly listeners from a public open.spotify.com artist page.

The exact figure appears in the page body ("1,234,567 monthly listeners") and in
embedded state JSON; the ``og:description`` meta only has an abbreviated
"1.2M monthly listeners". The exact figure wins when both are present.
"""

from __future__ import annotations

import html as html_lib
import re

from scrapers.parsers.blocks import is_block_page
from scrapers.parsers.numbers import parse_count

_STATE = re.compile(r"[\"']monthlyListeners[\"']\s*:\s*(\d+)")
_TEXT = re.compile(r"(\d[\d,.\u00a0\u202f ]*\d|\d)\s*([KMB])?\s+monthly\s+listeners", re.IGNORECASE)


def parse_monthly_listeners(html: str) -> int | None:
    """The artist's monthly listeners, or None when the page does not state them."""
    if not html or is_block_page(html):
        return None
    state = _STATE.search(html)
    if state:
        return int(state.group(1))
    exact, abbreviated = None, None
    for number, suffix in _TEXT.findall(html_lib.unescape(html)):
        value = parse_count(number.strip() + (suffix or ""))
        if value is None:
            continue
        if suffix or ("." in number and "," not in number):
            abbreviated = abbreviated if abbreviated is not None else value
        elif exact is None:
            exact = value
    return exact if exact is not None else abbreviated
