"""Telling a cut-off page from a complete one, so it is fetched again rather than half-read.

Servers (and the sandbox's ``malformed`` fault) sometimes answer 200 with half a
document. A half page still parses, partly, which would store part of a capture
and mark the rest as uncovered; a second request usually gets it whole.
"""

from __future__ import annotations


def is_truncated_html(html: str) -> bool:
    """True when an HTML document stops before its closing ``</html>``.

    Wayback appends comments after ``</html>``, so the tag is looked for near the end, not at it.
    """
    if not html:
        return True
    tail = html[-20_000:].lower()
    return "<html" in html[:5_000].lower() and "</html>" not in tail
