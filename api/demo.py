"""The one ready-to-paste curl line `make demo` ends with."""

from __future__ import annotations

import shlex

from api.keys import KeyStore
from urated import settings

DEMO_KEY_NAME = "demo"
DEMO_QUERY = "/v1/artists/top?platform=youtube&metric=subscribers&period=30d&limit=5"


def demo_curl_line() -> str:
    """A fresh demo key (the previous one is revoked: stored keys cannot be shown again) in a curl command."""
    _, key = KeyStore().rotate(DEMO_KEY_NAME)
    host, port = settings.api_address()
    return f"curl -s -H {shlex.quote('X-API-Key: ' + key)} {shlex.quote(f'http://{host}:{port}{DEMO_QUERY}')}"
