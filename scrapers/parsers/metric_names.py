"""Which metric a chart, column or series label is about, across Social Blade's wording changes."""

from __future__ import annotations

import re

# Charts of weekly/daily gains sit next to the totals on /monthly pages; we store
# totals only, so a gains chart must never be read as a total.
_GAINS = re.compile(r"gain|weekly|daily|change|delta|growth|\bnew\b|per[ _-]?week", re.IGNORECASE)


def metric_of(label: str) -> str | None:
    """``subscribers`` / ``views`` / ``videos`` for a label, None when it names none of them."""
    text = label.lower()
    if "view" in text:
        return "views"
    if "sub" in text:
        return "subscribers"
    if "video" in text or "upload" in text:
        return "videos"
    return None


def is_gains_label(label: str) -> bool:
    """True for labels of per-period gains ("Weekly Subscribers Gained"), not cumulative totals."""
    return bool(_GAINS.search(label))
