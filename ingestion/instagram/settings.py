"""Instagram Graph API constants and the querying account.

Business discovery is asked *through* one of our own Instagram business
accounts: its numeric id goes in the path. ``INSTAGRAM_USER_ID`` names it; the
sandbox accepts any id. The setting itself lives in ``urated.settings``.
"""

from __future__ import annotations

from urated.settings import instagram_user_id

SOURCE = "instagram"
TOKEN_VAR = "INSTAGRAM_ACCESS_TOKEN"
DISCOVERY_FIELDS = "business_discovery.username({username}){{followers_count,media_count,username,id}}"
# Graph API: "Invalid user id" for a username that is not a business/creator account.
UNKNOWN_USER = (110, 2207013)
TOKEN_ERROR_CODE = 190


def ig_user_id() -> str:
    return instagram_user_id()
