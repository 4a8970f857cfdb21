"""Bad payloads are kept, not dropped: every source routes them to its ``rejects`` table.

A reject row is yielded from inside the resource that met the payload, marked
for the ``rejects`` table of the same dataset (append-only: each bad payload is
an event), so it is written in the same load as the good rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Generator

import dlt

from ingestion.http.errors import MalformedBodyError
from ingestion.http.redact import redact

EXCERPT_CHARS = 2000

REJECT_COLUMNS = {
    "source": {"data_type": "text", "nullable": False},
    "payload_excerpt": {"data_type": "text", "nullable": True},
    "reason": {"data_type": "text", "nullable": False},
    "rejected_at": {"data_type": "timestamp", "nullable": False},
}


def reject_row(source: str, payload: Any, reason: str, rejected_at: datetime) -> dict[str, Any]:
    """A plain reject record (secrets masked, payload cut to an excerpt)."""
    text = payload if isinstance(payload, str) else repr(payload)
    return {
        "source": source,
        "payload_excerpt": redact(text[:EXCERPT_CHARS]),
        "reason": redact(reason),
        "rejected_at": rejected_at,
    }


def as_reject(row: dict[str, Any]) -> Any:
    """Mark a reject record so a resource can yield it into the ``rejects`` table."""
    # The variant starts from the yielding resource's hints: drop its key, never merge rejects.
    hints = dlt.mark.make_hints(table_name="rejects", write_disposition="append",
                                primary_key=[], columns=REJECT_COLUMNS)
    return dlt.mark.with_hints(row, hints, create_table_variant=True)


def reject(source: str, payload: Any, reason: str, rejected_at: datetime) -> Any:
    return as_reject(reject_row(source, payload, reason, rejected_at))


# A malformed body is retried once at once (usually a transient truncation);
# still bad, the caller leaves its unit of work pending for the next run.
MALFORMED_ATTEMPTS = 2


def fetch_or_reject(fetch: Callable[[], Any], source: str, what: str,
                    now: Callable[[], datetime]) -> Generator[Any, None, Any]:
    """``payload = yield from fetch_or_reject(...)``: the decoded body, or None after rejects.

    Every malformed body met on the way is yielded as a reject row, so it is
    stored even when a retry then succeeds.
    """
    for attempt in range(1, MALFORMED_ATTEMPTS + 1):
        try:
            return fetch()
        except MalformedBodyError as exc:
            yield reject(source, exc.excerpt, f"{what} (attempt {attempt}): {exc.reason}", now())
    return None
