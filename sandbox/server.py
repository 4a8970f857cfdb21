"""One loopback HTTP server standing in for every external service.

Routes by URL prefix to the service modules in `sandbox.services`, applies the
generic faults first (slow responses, 429 bursts, 5xx, CAPTCHA pages, blocked
sites) and malformed bodies last, and exposes a small control plane for tests:

    POST /_sandbox/faults  {"service": "youtube", "status_429": 3, ...}
    GET  /_sandbox/stats   requests per service, YouTube quota units used
    POST /_sandbox/reset   clear faults, counters, quota and tokens

Counting faults (`status_429`, `status_5xx`, `malformed`, `captcha`,
`blocked`, `expire_tokens`) are consumed one request at a time; `slow_ms`
(delay every request of the service) and `quota_limit` (YouTube units a
day per key) are settings that stay until reset.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from urllib.parse import urlsplit

from sandbox.services import instagram, spotify, spotify_accounts, spotify_web, viewstats, wayback, youtube
from sandbox.services.http import Request, Response, json_response
from sandbox.state import SandboxState
from sandbox.world import World, build_world
from urated.settings import INSTAGRAM_USER_ID_VAR, PACING_VAR, SERVICES

# What the sandbox accepts as every service's credential (a real one works too), and the
# Instagram business account business discovery runs as. Set explicitly by `env()`: the
# pipeline never invents a credential because a URL is loopback.
SANDBOX_CREDENTIAL = "sandbox-credential"
SANDBOX_INSTAGRAM_USER_ID = "17841400000000001"

# Longest prefixes first so /spotify-web never lands on /spotify.
ROUTES: list[tuple[str, str, ModuleType]] = [
    ("/spotify-accounts", "spotify_accounts", spotify_accounts),
    ("/spotify-web", "spotify_web", spotify_web),
    ("/spotify/v1", "spotify", spotify),
    ("/youtube/v3", "youtube", youtube),
    ("/instagram/v21.0", "instagram", instagram),
    ("/viewstats", "viewstats", viewstats),
    ("/wayback", "wayback", wayback),
]
MAX_BODY = 1 << 20


def _route(path: str) -> tuple[str, str, ModuleType] | None:
    for prefix, service, module in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return prefix, service, module
    return None


def _with_faults(service: str, module: ModuleType, state: SandboxState,
                 answer: Callable[[], Response]) -> Response:
    delay = state.setting(service, "slow_ms")
    if delay:
        time.sleep(delay / 1000.0)
    if hasattr(module, "blocked") and state.consume(service, "blocked"):
        return module.blocked()
    if state.consume(service, "status_429"):
        response = module.rate_limited()
        response.headers["Retry-After"] = "1"
        return response
    if state.consume(service, "status_5xx"):
        return module.server_error()
    if hasattr(module, "captcha") and state.consume(service, "captcha"):
        return module.captcha(state.stats()["requests"][service]) if module is wayback else module.captcha()
    response = answer()
    if response.status == 200 and state.consume(service, "malformed"):
        # Cut mid-document: the status says fine, the body does not parse.
        response.body = response.body[: max(len(response.body) // 2, 1)]
    return response


def _control(method: str, path: str, body: bytes, state: SandboxState) -> Response:
    if path == "/_sandbox/stats" and method == "GET":
        return json_response(200, state.stats())
    if path == "/_sandbox/reset" and method == "POST":
        state.reset()
        return json_response(200, {"reset": True})
    if path == "/_sandbox/faults" and method == "POST":
        try:
            knobs = json.loads(body or b"{}")
            service = knobs.pop("service")
            return json_response(200, {"service": service, "faults": state.set_faults(service, knobs)})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return json_response(400, {"error": f"bad fault request: {exc}"})
    return json_response(404, {"error": f"no control endpoint {method} {path}"})


def make_handler(state: SandboxState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs
        server_version = "uRatedSandbox/1.0"

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            """Quiet: tests and the demo read the stats endpoint instead."""

        def _dispatch(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, MAX_BODY)) if length else b""
            split = urlsplit(self.path)
            base_url = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            if split.path.startswith("/_sandbox/"):
                response = _control(method, split.path, body, state)
            elif (route := _route(split.path)) is None:
                response = json_response(404, {"error": f"no sandbox service at {split.path}"})
            else:
                prefix, service, module = route
                state.count_request(service)
                request = Request(method, split.path[len(prefix):] or "/", Request.parse_query(split.query),
                                  {k.lower(): v for k, v in self.headers.items()}, body, base_url)
                try:
                    response = _with_faults(service, module, state, lambda: module.handle(request, state))
                except Exception as exc:  # a sandbox bug must surface as a 500, not a hung client
                    response = json_response(500, {"error": f"sandbox error: {type(exc).__name__}: {exc}"})
            self._send(response)

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            self._dispatch("GET")

        def do_POST(self) -> None:  # noqa: N802 - stdlib naming
            self._dispatch("POST")

    return Handler


class SandboxHandle:
    """A running sandbox; stop it with `stop()` or use it as a context manager."""

    def __init__(self, server: ThreadingHTTPServer, thread: threading.Thread, state: SandboxState):
        self._server, self._thread, self.state = server, thread, state
        self.port: int = server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    @property
    def world(self) -> World:
        return self.state.world

    def env(self) -> dict[str, str]:
        """The environment that points the pipeline at this sandbox, every setting named.

        Base URLs (`URATED_*_URL`), the sandbox's placeholder credentials and
        Instagram account, and `URATED_PACING=off`: nobody to be polite to on loopback.
        """
        prefixes = {service: prefix for prefix, service, _ in ROUTES}
        urls = {SERVICES[name].url_var: self.base_url + prefixes[name] for name in SERVICES}
        credentials = {var: SANDBOX_CREDENTIAL for s in SERVICES.values() for var in s.credential_vars}
        return {**urls, **dict(sorted(credentials.items())), INSTAGRAM_USER_ID_VAR: SANDBOX_INSTAGRAM_USER_ID,
                PACING_VAR: "off"}

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_sandbox(port: int = 0, world: World | None = None) -> SandboxHandle:
    """Serve every service on 127.0.0.1 (port 0: the OS picks a free one) in a background thread."""
    state = SandboxState(world or build_world())
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"sandbox:{server.server_address[1]}", daemon=True)
    thread.start()
    return SandboxHandle(server, thread, state)
