"""YouTube Data API v3 `channels.list`, as `GET /youtube/v3/channels`.

Numbers are strings, hidden subscriber counts are absent, unknown and
terminated channels are simply missing from `items`, subscriber counts are
truncated to 3 significant figures. Each answered call costs one quota unit
for its key per UTC day; past the daily limit (10,000, or the `quota_limit`
fault) the API answers 403 quotaExceeded. Error bodies are the real ones.

API keys: any non-empty key of 8+ characters from [A-Za-z0-9_-] is accepted
(real keys and the `sandbox-credential` placeholder both are); anything else
gets the real 400 keyInvalid body.
"""

from __future__ import annotations

import base64
import hashlib
import re

from sandbox import eras
from sandbox.services.http import Request, Response, json_response, raw_json
from sandbox.state import SandboxState

MAX_IDS = 50
KNOWN_PARTS = ("snippet", "statistics", "status", "contentDetails", "id")
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,}$")

# Byte for byte from realdata/youtube/pyyoutube_error_400_keyInvalid.json.
KEY_INVALID_BODY = """{
  "error": {
    "errors": [
      {
        "domain": "usageLimits",
        "reason": "keyInvalid",
        "message": "Bad Request"
      }
    ],
    "code": 400,
    "message": "Bad Request"
  }
}"""
# Byte for byte from realdata/youtube/yt_gem_error_403_quotaExceeded_legacy_format.json.
QUOTA_EXCEEDED_BODY = r"""{
 "error": {
  "errors": [
   {
    "domain": "youtube.quota",
    "reason": "quotaExceeded",
    "message": "The request cannot be completed because you have exceeded your \u003ca href=\"/youtube/v3/getting-started#quota\"\u003equota\u003c/a\u003e."
   }
  ],
  "code": 403,
  "message": "The request cannot be completed because you have exceeded your \u003ca href=\"/youtube/v3/getting-started#quota\"\u003equota\u003c/a\u003e."
 }
}
"""


def _legacy_error(code: int, domain: str, reason: str, message: str, location: str | None = None) -> Response:
    """The legacy Google error shape (errors before code), as the realdata bodies have it."""
    error = {"domain": domain, "reason": reason, "message": message}
    if location:
        error.update(locationType="parameter", location=location)
    return json_response(code, {"error": {"errors": [error], "code": code, "message": message}})


def too_many_ids() -> Response:
    return _legacy_error(400, "youtube.parameter", "invalidFilters",
                         "The request specifies an invalid filter parameter.", "id")


def rate_limited() -> Response:
    return _legacy_error(429, "usageLimits", "rateLimitExceeded",
                         "The request cannot be completed because you have exceeded your quota.")


def server_error() -> Response:
    return _legacy_error(503, "global", "backendError", "Backend Error")


def _etag(*parts: str) -> str:
    digest = hashlib.sha1("|".join(parts).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:27]


def _published_at(channel) -> str:
    """Channel creation time; about a third carry microseconds, as real ones sometimes do."""
    h = int(hashlib.md5(channel.channel_id.encode()).hexdigest(), 16)
    clock = f"{channel.joined_on.isoformat()}T{h % 24:02d}:{h // 24 % 60:02d}:{h // 1440 % 60:02d}"
    return clock + (f".{h % 1_000_000:06d}Z" if h % 3 == 0 else "Z")


def _thumbnails(channel_id: str) -> dict:
    token = _etag("thumb", channel_id)
    return {
        name: {"url": f"https://yt3.ggpht.com/ytc/{token}=s{size}-c-k-c0x00ffffff-no-rj", "width": size, "height": size}
        for name, size in (("default", 88), ("medium", 240), ("high", 800))
    }


def channel_resource(state: SandboxState, channel, parts: list[str], day) -> dict:
    description = f"Official YouTube channel of {channel.title}."
    item: dict = {"kind": "youtube#channel", "etag": _etag("item", channel.channel_id), "id": channel.channel_id}
    if "snippet" in parts:
        item["snippet"] = {
            "title": channel.title,
            "description": description,
            "customUrl": "@" + "".join(ch for ch in channel.title.lower() if ch.isalnum()),
            "publishedAt": _published_at(channel),
            "thumbnails": _thumbnails(channel.channel_id),
            "localized": {"title": channel.title, "description": description},
            "country": channel.country,
        }
    if "contentDetails" in parts:
        item["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": "UU" + channel.channel_id[2:]}}
    if "statistics" in parts:
        now = state.world.youtube_on(channel.channel_id, day)
        stats = {"viewCount": str(now["views"])}
        if not channel.hidden_subscriber_count:
            stats["subscriberCount"] = str(int(eras.round_3sf(now["subscribers"])))
        stats["hiddenSubscriberCount"] = channel.hidden_subscriber_count
        stats["videoCount"] = str(now["videos"])
        item["statistics"] = stats
    if "status" in parts:
        item["status"] = {"privacyStatus": "public", "isLinked": True,
                          "longUploadsStatus": "longUploadsUnspecified", "madeForKids": False}
    return item


def handle(request: Request, state: SandboxState) -> Response:
    if request.path.rstrip("/") != "/channels" or request.method != "GET":
        return _legacy_error(404, "global", "notFound", "Not Found")
    key = request.query.get("key", "")
    if not _KEY.match(key):
        return raw_json(400, KEY_INVALID_BODY)
    if state.quota_left(key) <= 0:
        return raw_json(403, QUOTA_EXCEEDED_BODY)
    parts = [p.strip() for p in request.query.get("part", "").split(",") if p.strip()]
    if not parts:
        return _legacy_error(400, "global", "required", "Required parameter: part", "part")
    for part in parts:
        if part not in KNOWN_PARTS:
            return _legacy_error(400, "youtube.part", "unknownPart", part, "part")
    ids = [i.strip() for i in request.query.get("id", "").split(",") if i.strip()]
    if len(ids) > MAX_IDS:
        return too_many_ids()
    items = []
    for channel_id in ids:
        channel = state.world.channel(channel_id)
        if channel is not None and channel.status == "active":
            items.append(channel_resource(state, channel, parts, request.day))
    state.charge_quota(key)
    per_page = int(request.query.get("maxResults") or 5)
    body = {
        "kind": "youtube#channelListResponse",
        "etag": _etag("list", *ids),
        "pageInfo": {"totalResults": len(items), "resultsPerPage": per_page},
        "items": items,
    }
    return json_response(200, body)

