"""ViewStats weekly channel history, as `GET /viewstats/channels/{channel_id}/weekly`.

ViewStats publishes no API documentation; this shape comes from the
enrichment spec and is the contract the ingestion parser is written against:

    GET /viewstats/channels/UC.../weekly?from=2022-08-07&to=2023-01-01
    200 {"channelId": "UC...",
         "data": [{"date": "2022-08-07", "subscriberCount": 12300,
                   "viewCount": 4567890, "longformViewCount": 4000000,
                   "shortsViewCount": 567890}, ...]}
    404 {"error": "Channel not found", "channelId": "UC..."}

`from`/`to` are optional ISO dates (inclusive); data starts 2022-08-07 (or
the channel's first week) and is weekly on Sundays. Subscriber counts are
truncated to 3 significant figures. The `captcha` fault returns a Cloudflare
challenge page (403, text/html) instead of JSON, as the real site does to bots.
"""

from __future__ import annotations

import re
from datetime import date

from sandbox.services.http import Request, Response, html_response, json_response
from sandbox.state import SandboxState

CHALLENGE_PAGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "www.viewstats.com",cType: 'managed',cRay: '8f1a2b3c4d5e6f70'};})();</script>
</head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">www.viewstats.com</h1>
<h2 id="challenge-running" class="h2">Verifying you are human. This may take a few seconds.</h2>
<form id="challenge-form" action="/?__cf_chl_f_tk=k9l8m7" method="POST"><input type="hidden" name="md" value="x"></form>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8f1a2b3c4d5e6f70"></script>
<div id="cf-chl-widget-a1b2c"></div>
</div></div><div class="footer" role="contentinfo">Ray ID: <code>8f1a2b3c4d5e6f70</code> Performance &amp; security by Cloudflare</div></body></html>"""


def captcha() -> Response:
    return html_response(403, CHALLENGE_PAGE, {"cf-mitigated": "challenge", "Server": "cloudflare"})


def rate_limited() -> Response:
    return json_response(429, {"error": "Too many requests"})


def server_error() -> Response:
    return json_response(502, {"error": "Bad gateway"})


def handle(request: Request, state: SandboxState) -> Response:
    m = re.fullmatch(r"/channels/([^/]+)/weekly", request.path.rstrip("/"))
    if not m or request.method != "GET":
        return json_response(404, {"error": "Not found"})
    channel_id = m.group(1)
    if state.world.channel(channel_id) is None:
        return json_response(404, {"error": "Channel not found", "channelId": channel_id})
    try:
        start = date.fromisoformat(request.query.get("from") or "1900-01-01")
        end = date.fromisoformat(request.query.get("to") or "2999-12-31")
    except ValueError:
        return json_response(400, {"error": "from and to must be YYYY-MM-DD dates"})
    return json_response(200, {"channelId": channel_id, "data": state.world.viewstats_weekly(channel_id, start, end)})
