"""The one place that knows where things are and how external services are reached.

Every setting is an environment variable with a sensible default, read at call
time (not import time) so tests and the demo can point the pipeline elsewhere
by exporting a variable. Where the warehouse is (``URATED_WAREHOUSE``: a DuckDB
file or a DuckLake) is decided in ``urated.storage``, which builds on these.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
TRANSFORM_DIR = PROJECT_ROOT / "transform"

WAREHOUSE_VAR = "URATED_WAREHOUSE"
WATCHLIST_VAR = "URATED_ARTISTS"
YOUNIVERSE_DIR_VAR = "URATED_YOUNIVERSE_DIR"
DUCKDB_MEMORY_VAR = "URATED_DUCKDB_MEMORY"
PACING_VAR = "URATED_PACING"
INSTAGRAM_USER_ID_VAR = "INSTAGRAM_USER_ID"
API_HOST_VAR = "URATED_API_HOST"
API_PORT_VAR = "URATED_API_PORT"
API_KEYS_VAR = "URATED_API_KEYS"
API_CACHE_VAR = "URATED_API_CACHE_ENTRIES"
API_ANONYMOUS_RATE_VAR = "URATED_API_ANONYMOUS_RATE"
API_QUERY_SECONDS_VAR = "URATED_API_QUERY_SECONDS"
COLLECTION_DAY_VAR = "URATED_COLLECTION_DAY"
# Sent only when the collection day is set explicitly, so a service that replays history
# (the sandbox) answers as of that day; real services ignore an unknown header.
COLLECTION_DAY_HEADER = "X-Urated-Collection-Day"


@dataclass(frozen=True)
class Service:
    """An external service: the variable holding its base URL and its real host."""

    name: str
    url_var: str
    default_url: str
    credential_vars: tuple[str, ...] = ()


SERVICES: dict[str, Service] = {
    s.name: s
    for s in (
        Service("youtube", "URATED_YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3", ("YOUTUBE_API_KEY",)),
        Service("spotify", "URATED_SPOTIFY_API_URL", "https://api.spotify.com/v1", ("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET")),
        Service("spotify_accounts", "URATED_SPOTIFY_ACCOUNTS_URL", "https://accounts.spotify.com", ("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET")),
        Service("spotify_web", "URATED_SPOTIFY_WEB_URL", "https://open.spotify.com"),
        Service("instagram", "URATED_INSTAGRAM_API_URL", "https://graph.facebook.com/v21.0", ("INSTAGRAM_ACCESS_TOKEN",)),
        Service("viewstats", "URATED_VIEWSTATS_API_URL", "https://api.viewstats.com"),
        Service("wayback", "URATED_WAYBACK_URL", "https://web.archive.org"),
    )
}

class MissingSettingError(RuntimeError):
    """A setting the run cannot do without is not set in the environment; the message names it."""


class MissingCredentialError(MissingSettingError):
    """A credential of a service is not set in the environment."""


def api_address() -> tuple[str, int]:
    """Where ``make api`` listens (``URATED_API_HOST``, ``URATED_API_PORT``): loopback port 8000 by default."""
    host = os.environ.get(API_HOST_VAR, "").strip() or "127.0.0.1"
    port = os.environ.get(API_PORT_VAR, "").strip() or "8000"
    try:
        return host, int(port)
    except ValueError:
        raise ValueError(f"{API_PORT_VAR} must be a port number, got {port!r}") from None


def _non_negative(var: str, default: str, parse, kind: str):
    """A number from the environment variable ``var`` (``default`` when unset), negative values as 0."""
    value = os.environ.get(var, "").strip() or default
    try:
        return max(parse(value), 0)
    except ValueError:
        raise ValueError(f"{var} must be {kind}, got {value!r}") from None


def api_cache_entries() -> int:
    """How many answers the API keeps in memory (``URATED_API_CACHE_ENTRIES``, default 4096; 0 turns the cache off)."""
    return _non_negative(API_CACHE_VAR, "4096", int, "a whole number")


def api_query_seconds() -> float:
    """How long one answer's DuckDB queries may run (``URATED_API_QUERY_SECONDS``, default 10; 0 = no limit)."""
    return float(_non_negative(API_QUERY_SECONDS_VAR, "10", float, "a number of seconds"))


def api_anonymous_rate() -> str:
    """The rate limit per client address for requests without a valid key (``URATED_API_ANONYMOUS_RATE``)."""
    return os.environ.get(API_ANONYMOUS_RATE_VAR, "").strip() or "600/minute"


def instagram_user_id() -> str:
    """The Instagram business account that runs business discovery (``INSTAGRAM_USER_ID``)."""
    value = os.environ.get(INSTAGRAM_USER_ID_VAR, "").strip()
    if value:
        return value
    raise MissingCredentialError(
        f"{INSTAGRAM_USER_ID_VAR} is not set: business discovery runs as your own Instagram business "
        "account; export its numeric id (the sandbox's environment, `make sandbox`, sets one)."
    )


def watchlist_path() -> Path:
    """The watchlist CSV (``URATED_ARTISTS``). Required: there is no default list of artists to collect."""
    value = os.environ.get(WATCHLIST_VAR, "").strip()
    if not value:
        raise MissingSettingError(
            f"{WATCHLIST_VAR} is not set: export the path of your watchlist CSV (columns artist_id, "
            "artist_name, youtube_channel_id, spotify_artist_id, instagram_username). Nothing is "
            "collected without one; `make demo` sets its own."
        )
    return Path(value).resolve()


def youniverse_dir() -> Path:
    """Folder holding ``df_channels_en.tsv[.gz]`` and ``df_timeseries_en.tsv[.gz]``."""
    return Path(os.environ.get(YOUNIVERSE_DIR_VAR) or DATA_DIR / "youniverse").resolve()


def duckdb_memory_limit() -> str:
    """DuckDB's ``memory_limit`` for bulk work (``URATED_DUCKDB_MEMORY``, default ``4GB``).

    dbt's ``profiles.yml`` reads the same variable, so one export bounds every
    DuckDB that loads or transforms the warehouse; beyond it DuckDB spills to disk.
    """
    return os.environ.get(DUCKDB_MEMORY_VAR, "").strip() or "4GB"


def collection_day(now: datetime | None = None) -> date:
    """The day daily collections stamp as ``observed_on`` (``URATED_COLLECTION_DAY``, ISO date).

    Unset: the UTC day of ``now`` (a client's clock, so tests with a fake clock stay in control),
    or of the wall clock. Set: that day, e.g. when the demo collects each of the past weeks.
    """
    text = os.environ.get(COLLECTION_DAY_VAR, "").strip()
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{COLLECTION_DAY_VAR}={text!r} is not an ISO date (YYYY-MM-DD)") from exc
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).date()


def collection_day_headers() -> dict[str, str]:
    """The request header naming an explicitly set collection day; empty when collecting today."""
    if not os.environ.get(COLLECTION_DAY_VAR, "").strip():
        return {}
    return {COLLECTION_DAY_HEADER: collection_day().isoformat()}


def service_url(name: str) -> str:
    """Base URL of an external service, without a trailing slash."""
    service = SERVICES[name]
    return (os.environ.get(service.url_var) or service.default_url).rstrip("/")


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credential(service_name: str, var: str) -> str:
    """A credential from the environment, never from code or files; a missing one is an error naming it.

    Whatever the host: the sandbox's environment (``make sandbox``) sets its own
    placeholders explicitly, so pointing a URL at loopback never invents one.
    """
    service = SERVICES[service_name]
    if var not in service.credential_vars:
        raise KeyError(f"{var} is not a credential of {service_name}")
    value = os.environ.get(var, "").strip()
    if value:
        return value
    raise MissingCredentialError(
        f"{var} is not set: {service_name} at {service_url(service_name)} needs it. Export {var} "
        "(or put it in .env); against the sandbox, export the lines `make sandbox` prints."
    )


def pacing_off(url: str) -> bool:
    """Whether requests to ``url`` go unpaced: only when asked (``URATED_PACING=off``) and only on loopback.

    The sandbox's environment asks for it so the demo and the tests run at local
    speed; a real host is paced whatever the setting says.
    """
    mode = os.environ.get(PACING_VAR, "").strip().lower() or "polite"
    if mode not in ("polite", "off"):
        raise ValueError(f"{PACING_VAR} must be 'polite' (the default) or 'off', not {mode!r}")
    return mode == "off" and is_loopback(url)


def secret_values() -> list[str]:
    """Every credential currently set, so logs and tables can be checked for leaks."""
    names = {v for s in SERVICES.values() for v in s.credential_vars}
    return [os.environ[n] for n in sorted(names) if os.environ.get(n)]
