"""The Wayback Machine: the CDX index and archived Social Blade pages.

`GET /wayback/cdx/search/cdx?url=...` lists captures of
`socialblade.com/youtube/channel/<id>/monthly` like the real CDX server:
plain text (space-separated) by default or `output=json` (header row, rows,
then `[]` and `["<resumeKey>"]` when `showResumeKey=true` and the page is
full); `limit`, `from`, `to`, `fl`, `filter`, `collapse` and `resumeKey`
behave as on web.archive.org,
where the key is the last row's urlkey and timestamp + 1 s, and a full last
page is followed by an empty one. Some captures are listed twice, as in the
real index. The `blocked` fault answers the real 403 "Blocked Site Error".

`GET /wayback/web/<timestamp>[id_]/<original url>` replays a capture: the
exact timestamp serves the page, another timestamp redirects (302) to the
nearest capture, as the real Wayback Machine does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime, timedelta
from urllib.parse import quote_plus, unquote_plus

from sandbox.services.http import Request, Response, html_response, json_response, text_response
from sandbox.snapshots import Snapshot, page_url
from sandbox.state import SandboxState

CDX_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
# Byte for byte from realdata/cdx/edgi_cdx_403_blocked_site_body.txt.
BLOCKED_BODY = ("org.archive.util.io.RuntimeIOException: org.archive.wayback.exception."
                "AdministrativeAccessControlException: Blocked Site Error\n")
_CHANNEL = re.compile(r"youtube/channel/([A-Za-z0-9_-]{24})", re.IGNORECASE)
NOT_ARCHIVED_PAGE = ("<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body>"
                     "<p>Hrm.</p><p>The Wayback Machine has not archived that URL.</p></body></html>")


def blocked() -> Response:
    return text_response(403, BLOCKED_BODY)


def captcha(variant: int) -> Response:
    from sandbox.pages.socialblade import render_block_page

    return html_response(429 if variant % 3 == 2 else 403, render_block_page(variant))


def rate_limited() -> Response:
    return html_response(429, "<html><head><title>429 Too Many Requests</title></head>"
                              "<body><center><h1>429 Too Many Requests</h1></center></body></html>")


def server_error() -> Response:
    return html_response(503, "<html><head><title>503 Service Unavailable</title></head>"
                              "<body><h1>503 Service Unavailable</h1></body></html>")


def urlkey(channel_id: str) -> str:
    return f"com,socialblade)/youtube/channel/{channel_id.lower()}/monthly"


def _is_listed_twice(timestamp: str) -> bool:
    return int(hashlib.md5(timestamp.encode()).hexdigest(), 16) % 8 == 0


def cdx_rows(channel_id: str, snapshots: list[Snapshot]) -> list[list[str]]:
    rows = []
    for snap in snapshots:
        digest = base64.b32encode(hashlib.sha1(f"{channel_id}{snap.timestamp}".encode()).digest()).decode()
        length = 9_000 + int(digest[:4], 36) % 30_000
        row = [urlkey(channel_id), snap.timestamp, page_url(channel_id), "text/html", "200", digest, str(length)]
        rows.extend([row, list(row)] if _is_listed_twice(snap.timestamp) else [row])
    return rows


def _bound(value: str, pad: str) -> str:
    digits = re.sub(r"\D", "", value)[:14]
    return digits + pad * (14 - len(digits))


def _filter(rows: list[list[str]], spec: str) -> list[list[str]]:
    """`filter=[!]field:regex`, as the real server applies it."""
    negate, _, spec = spec.partition("!") if spec.startswith("!") else ("", "", spec)
    field, _, pattern = spec.partition(":")
    if field not in CDX_FIELDS:
        return rows
    i, regex = CDX_FIELDS.index(field), re.compile(pattern)
    return [r for r in rows if bool(regex.fullmatch(r[i])) != bool(negate)]


def _collapse(rows: list[list[str]], spec: str) -> list[list[str]]:
    """`collapse=field[:n]`: drop rows whose field (first n chars) repeats the previous row's."""
    field, _, n = spec.partition(":")
    if field not in CDX_FIELDS:
        return rows
    i, width = CDX_FIELDS.index(field), int(n) if n.isdigit() else None
    out, last = [], None
    for r in rows:
        key = r[i][:width]
        if key != last:
            out.append(r)
        last = key
    return out


def _cdx(request: Request, state: SandboxState) -> Response:
    q = request.query
    match = _CHANNEL.search(q.get("url", ""))
    channel = state.world.channel(match.group(1)) if match else None
    rows = cdx_rows(channel.channel_id, state.world.snapshots(channel.channel_id)) if channel else []
    low, high = _bound(q.get("from", ""), "0"), _bound(q.get("to", ""), "9")
    rows = [r for r in rows if low <= r[1] <= high]
    if q.get("resumeKey"):
        _key, _, resume_at = unquote_plus(q["resumeKey"]).rpartition(" ")
        rows = [r for r in rows if r[1] >= resume_at.rstrip("!")]
    rows = _collapse(_filter(rows, q.get("filter", "")), q.get("collapse", ""))
    limit = int(q.get("limit") or 0)
    page = rows[:limit] if limit > 0 else rows
    resume = None
    if limit > 0 and len(page) == limit and q.get("showResumeKey", "").lower() == "true":
        after = datetime.strptime(page[-1][1], "%Y%m%d%H%M%S") + timedelta(seconds=1)
        resume = quote_plus(f"{page[-1][0]} {after:%Y%m%d%H%M%S}")
    fields = [f for f in q.get("fl", "").split(",") if f in CDX_FIELDS] or CDX_FIELDS
    page = [[r[CDX_FIELDS.index(f)] for f in fields] for r in page]
    if q.get("output") == "json":
        if not page:
            return json_response(200, [])
        # Spacing as the real server writes it: compact header, spaced rows.
        lines = [json.dumps(fields, separators=(",", ":"))] + [json.dumps(r) for r in page]
        if resume:
            lines += ["[]", json.dumps([resume])]
        return Response(200, ("[" + ",\n ".join(lines) + "]\n").encode())
    text = "".join(" ".join(r) + "\n" for r in page)
    if resume:
        text += "\n" + resume + "\n"
    return text_response(200, text)


def _replay(request: Request, state: SandboxState, timestamp: str, original: str) -> Response:
    from sandbox.pages.socialblade import render_archived_page

    match = _CHANNEL.search(original)
    channel = state.world.channel(match.group(1)) if match else None
    snapshots = state.world.snapshots(channel.channel_id) if channel else []
    if not snapshots:
        return html_response(404, NOT_ARCHIVED_PAGE)
    raw = timestamp.endswith("id_")
    wanted = _bound(timestamp.removesuffix("id_"), "0")
    nearest = min(snapshots, key=lambda s: abs(int(s.timestamp) - int(wanted)))
    if nearest.timestamp != wanted:
        location = f"{request.base_url}/wayback/web/{nearest.timestamp}{'id_' if raw else ''}/{page_url(channel.channel_id)}"
        return html_response(302, "", {"Location": location})
    points = state.world.socialblade_points(channel.channel_id, nearest)
    page = render_archived_page(channel.title, channel.channel_id, points, nearest.layout, timestamp=nearest.timestamp)
    return html_response(200, page, {"Memento-Datetime": nearest.captured_at.strftime("%a, %d %b %Y %H:%M:%S GMT")})


def handle(request: Request, state: SandboxState) -> Response:
    if request.path.rstrip("/") in ("/cdx/search/cdx", "/cdx/search"):
        return _cdx(request, state)
    m = re.fullmatch(r"/web/(\d{1,14}(?:id_)?)/(.+)", request.path)
    if m:
        return _replay(request, state, m.group(1), m.group(2))
    return html_response(404, NOT_ARCHIVED_PAGE)
