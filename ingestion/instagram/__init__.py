"""Instagram business discovery as a dlt source: ``raw_instagram.accounts`` (+ ``rejects``).

One call per watchlist username, stamped with the UTC day. A username Graph
does not know as a business/creator account (OAuthException 110/2207013) is
stored with ``is_active = false``, like a YouTube id absent from ``items``.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

import dlt

from ingestion.coerce import BadValue
from ingestion.http import CircuitOpenError, ClientError, ServiceError
from ingestion.instagram.client import InstagramClient
from ingestion.instagram.parsers import account_row, inactive_account, is_token_error, is_unknown_user_error
from ingestion.instagram.settings import SOURCE
from ingestion.rejects import fetch_or_reject, reject
from ingestion.tables import typed
from ingestion.watchlist import ids_to_collect

log = logging.getLogger("urated.ingestion.instagram")

ACCOUNT_COLUMNS: dict[str, Any] = {
    "username": {"data_type": "text", "nullable": False},
    "observed_on": {"data_type": "date", "nullable": False},
    "ig_id": {"data_type": "text"},
    "followers_count": {"data_type": "bigint"},
    "media_count": {"data_type": "bigint"},
    "is_active": {"data_type": "bool", "nullable": False},
    "collected_at": {"data_type": "timestamp", "nullable": False},
}


def account_rows(client: InstagramClient, usernames: list[str]) -> Iterator[Any]:
    now = client.clock.now
    for username in usernames:
        observed_on = now().date()
        try:
            payload = yield from fetch_or_reject(lambda: client.business_discovery(username),
                                                 SOURCE, f"business discovery {username}", now)
        except ClientError as exc:
            if is_unknown_user_error(exc.body):
                yield typed([inactive_account(username, observed_on, now())], "accounts", ACCOUNT_COLUMNS)
            elif exc.is_auth or is_token_error(exc.body):
                raise
            else:
                yield reject(SOURCE, exc.body, f"{username}: HTTP {exc.status}", now())
            continue
        except CircuitOpenError as exc:
            log.error("instagram: stopping, %s", exc)
            return
        except ServiceError as exc:
            log.error("instagram: %s not collected this run: %s", username, exc)
            continue
        if payload is None:
            continue
        try:
            row = account_row(payload, username, observed_on, now())
        except BadValue as exc:
            yield reject(SOURCE, payload, f"{username}: {exc}", now())
            continue
        yield typed([row], "accounts", ACCOUNT_COLUMNS)


@dlt.source(name="instagram", max_table_nesting=0)
def instagram_source(usernames: list[str] | None = None, client: InstagramClient | None = None) -> Any:
    """Followers and media counts of the watchlist's Instagram accounts (or ``usernames``)."""

    @dlt.resource(name="accounts", primary_key=["username", "observed_on"], write_disposition="merge")
    def accounts() -> Iterator[Any]:
        names = ids_to_collect("instagram_username", [u.lstrip("@").lower() for u in usernames or ()])
        api = client or InstagramClient()
        try:
            yield from account_rows(api, names)
        finally:
            if client is None:
                api.close()

    return accounts
