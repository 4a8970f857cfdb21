"""Instagram Graph API constants and the querying account.

Business discovery is asked *through* one of our own Instagram business
accounts: its numeric id goes in the path. ``INSTAGRAM_USER_ID`` names it; the
sandbox accepts any id. (Read here because ``urated.settings`` has no accessor
for it yet; it is an identifier, not a secret.)
"""

from __future__ import annotations

import os

from urated.settings import MissingCredentialError, is_loopback, service_url

SOURCE = "instagram"
TOKEN_VAR = "INSTAGRAM_ACCESS_TOKEN"
USER_ID_VAR = "INSTAGRAM_USER_ID"
SANDBOX_USER_ID = "17841400000000001"
DISCOVERY_FIELDS = "business_discovery.username({username}){{followers_count,media_count,username,id}}"
# Graph API: "Invalid user id" for a username that is not a business/creator account.
UNKNOWN_USER = (110, 2207013)
TOKEN_ERROR_CODE = 190


def ig_user_id() -> str:
    value = os.environ.get(USER_ID_VAR, "").strip()
    if value:
        return value
    if is_loopback(service_url("instagram")):
        return SANDBOX_USER_ID
    raise MissingCredentialError(f"{USER_ID_VAR} is not set: business discovery needs the id of our own "
                                 f"Instagram business account. Export {USER_ID_VAR}.")
