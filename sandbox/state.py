"""What the sandbox remembers between requests: faults, counters, quota, tokens, the day.

Everything sits behind one lock because the server answers requests on
several threads; `reset()` returns to a clean slate between tests.

The day the services answer as of: a request's ``X-Urated-Collection-Day``
header (the pipeline sends it when it collects for a set day), else the day
set on the control plane, else the world's today.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, datetime, timezone

from sandbox.world import World
from urated.settings import COLLECTION_DAY_HEADER

SERVICES = ("youtube", "spotify", "spotify_accounts", "spotify_web", "instagram", "viewstats", "wayback")
# Counters: each request of the service consumes one.
COUNTED_FAULTS = ("status_429", "status_5xx", "malformed", "captcha", "blocked", "expire_tokens")
# Settings: stay in force until reset.
SETTING_FAULTS = ("slow_ms", "quota_limit")
DEFAULT_YOUTUBE_QUOTA = 10_000


class SandboxState:
    def __init__(self, world: World):
        self.world = world
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._faults: dict[str, Counter] = {s: Counter() for s in SERVICES}
            self._requests: Counter = Counter()
            self._quota: Counter = Counter()  # (api key, UTC day) -> units
            self._tokens: dict[str, float] = {}  # Spotify access token -> expiry (epoch seconds)
            self._day: date | None = None

    # ---- the day answered as of ---------------------------------------------
    def set_day(self, day: date | None) -> date:
        """Answer as of ``day`` from now on (None: the world's today); returns the day in force."""
        with self._lock:
            self._day = None if day is None else self.world.check_day(day)
            return self._day or self.world.today

    def day_for(self, headers: dict[str, str]) -> date:
        """The day a request is answered as of (its lower-cased ``headers``); ValueError if unusable."""
        named = headers.get(COLLECTION_DAY_HEADER.lower(), "").strip()
        if named:
            try:
                return self.world.check_day(date.fromisoformat(named))
            except ValueError as exc:
                raise ValueError(f"{COLLECTION_DAY_HEADER}: {exc}") from exc
        with self._lock:
            return self._day or self.world.today

    # ---- faults ----------------------------------------------------------
    def set_faults(self, service: str, knobs: dict[str, int]) -> dict[str, int]:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}; expected one of {SERVICES}")
        unknown = set(knobs) - set(COUNTED_FAULTS) - set(SETTING_FAULTS)
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}; expected {COUNTED_FAULTS + SETTING_FAULTS}")
        with self._lock:
            for knob, value in knobs.items():
                self._faults[service][knob] = int(value)
            return dict(self._faults[service])

    def consume(self, service: str, knob: str) -> bool:
        """True (and one fewer left) if ``knob`` is armed for ``service``."""
        with self._lock:
            if self._faults[service][knob] > 0:
                self._faults[service][knob] -= 1
                return True
            return False

    def setting(self, service: str, knob: str, default: int = 0) -> int:
        with self._lock:
            return self._faults[service].get(knob, default) or default

    # ---- stats -----------------------------------------------------------
    def count_request(self, service: str) -> None:
        with self._lock:
            self._requests[service] += 1

    def stats(self) -> dict:
        with self._lock:
            units: Counter = Counter()
            for (key, _day), n in self._quota.items():
                units[key] += n
            return {
                "requests": {s: self._requests[s] for s in SERVICES},
                "youtube_quota_units": sum(units.values()),
                "youtube_quota_units_by_key": dict(units),
                "youtube_quota_limit": self._faults["youtube"].get("quota_limit") or DEFAULT_YOUTUBE_QUOTA,
                "faults": {s: {k: v for k, v in c.items() if v} for s, c in self._faults.items() if any(c.values())},
            }

    # ---- YouTube quota ---------------------------------------------------
    def quota_left(self, key: str) -> int:
        limit = self.setting("youtube", "quota_limit", DEFAULT_YOUTUBE_QUOTA)
        with self._lock:
            return limit - self._quota[(key, _utc_day())]

    def charge_quota(self, key: str, units: int = 1) -> None:
        with self._lock:
            self._quota[(key, _utc_day())] += units

    # ---- Spotify tokens --------------------------------------------------
    def issue_token(self, token: str, lifetime_s: int) -> None:
        with self._lock:
            self._tokens[token] = time.time() + lifetime_s

    def token_status(self, token: str) -> str:
        """valid | expired | unknown."""
        with self._lock:
            expiry = self._tokens.get(token)
        if expiry is None:
            return "unknown"
        return "valid" if expiry > time.time() else "expired"

    def expire_token(self, token: str) -> None:
        with self._lock:
            if token in self._tokens:
                self._tokens[token] = 0.0


def _utc_day() -> str:
    return datetime.now(timezone.utc).date().isoformat()
