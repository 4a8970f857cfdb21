"""Spotify accounts service: `POST /spotify-accounts/api/token` (client credentials).

Credentials come as HTTP Basic (`client_id:client_secret`) or as form fields.
Any id and secret of 8+ characters are accepted (the `sandbox-credential`
placeholder included); anything else gets `invalid_client`. Tokens last an
hour, like Spotify's; the `expire_tokens` fault expires them early on the API.
"""

from __future__ import annotations

import base64
import secrets
from urllib.parse import parse_qs

from sandbox.services.http import Request, Response, json_response
from sandbox.state import SandboxState

TOKEN_LIFETIME_S = 3600


def _client_credentials(request: Request) -> tuple[str, str, dict[str, str]]:
    form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            client_id, _, client_secret = base64.b64decode(auth[6:].strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            client_id = client_secret = ""
    return client_id, client_secret, form


def handle(request: Request, state: SandboxState) -> Response:
    if request.path.rstrip("/") != "/api/token" or request.method != "POST":
        return json_response(404, {"error": "not_found", "error_description": "Not found"})
    client_id, client_secret, form = _client_credentials(request)
    if form.get("grant_type") != "client_credentials":
        return json_response(400, {"error": "unsupported_grant_type",
                                   "error_description": "grant_type parameter is missing"})
    if len(client_id) < 8 or len(client_secret) < 8:
        return json_response(400, {"error": "invalid_client", "error_description": "Invalid client"})
    token = secrets.token_urlsafe(96)
    state.issue_token(token, TOKEN_LIFETIME_S)
    return json_response(200, {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S})


def rate_limited() -> Response:
    return json_response(429, {"error": "too_many_requests", "error_description": "Too many requests"})


def server_error() -> Response:
    return json_response(503, {"error": "server_error", "error_description": "Service unavailable"})
