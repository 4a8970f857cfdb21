"""`make bench-api`: the API under a bounded loopback load, per endpoint, with a cold and a warm cache.

The API runs as `make api` runs it (`python -m api serve`, one uvicorn process) over a
published warehouse (``--warehouse``: the demo's by default, or the bench world's
150 k artists); a key of its own lives in a temporary key store. Per endpoint and
mode, ``--concurrency`` clients on loopback send requests for ``--seconds`` (and at most
``--max-requests``), cycling through URLs built from the snapshot's own artists and
windows; each request's latency is timed on the client.

- cold: the answer cache is off (``URATED_API_CACHE_ENTRIES=0``): every request runs its
  DuckDB queries (DuckDB's own buffers are warm, as in a running server);
- warm: the cache is on and was filled by one pass over the same URLs first.

Prints a markdown table (requests/s, p50/p95/p99 in ms, errors) and writes JSON results.
Traffic goes to 127.0.0.1 only, bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import aiohttp
import httpx
import numpy as np

from urated import settings, storage, warehouse

RESULTS_FILE = Path(__file__).with_name("api_results.json")
MODES = ("cold", "warm")
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Scenario:
    """One endpoint and the URLs a run cycles through."""

    name: str
    urls: list[str]


@dataclass
class Outcome:
    endpoint: str
    mode: str
    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    statuses: dict[str, int]


def sample_artists(limit: int) -> list[str]:
    """A fixed sample of artists that have metrics (a stable hash order, so two runs ask the same)."""
    with warehouse.read_snapshot() as con:
        return [r[0] for r in con.execute(
            "select artist_id from marts.dim_artists where artist_id in (select artist_id from marts.fct_growth "
            "where platform = 'youtube' and metric = 'subscribers' and period = '30d') order by hash(artist_id) limit ?",
            [limit]).fetchall()]


def scenarios(artists: list[str]) -> list[Scenario]:
    """URLs per endpoint, from the published snapshot (its latest week and real artists)."""
    with warehouse.read_snapshot() as con:
        (latest,) = con.execute("select max(observed_at) from marts.fct_metrics where platform = 'youtube'").fetchone()
        (thresholds,) = con.execute(
            "select quantile_disc(value_end, [0.1, 0.25, 0.5, 0.75, 0.9]) from marts.fct_growth where platform = 'youtube' "
            "and metric = 'subscribers' and period = '30d' and as_of = (select max(as_of) from marts.fct_growth "
            "where platform = 'youtube' and metric = 'subscribers' and period = '30d')").fetchone()
    year_ago = (latest - timedelta(days=364)).isoformat() if latest else "2000-01-02"
    windows = [f"platform=youtube&metric={m}&period={p}" for m in ("subscribers", "views") for p in ("7d", "30d", "90d", "365d")]
    return [
        Scenario("health", ["/v1/health"]),
        Scenario("artists", ["/v1/artists?limit=50"] + [f"/v1/artists?q={a}" for a in artists[:200]]),
        Scenario("artist", [f"/v1/artists/{a}" for a in artists]),
        Scenario("metrics", [f"/v1/artists/{a}/metrics" for a in artists]),
        Scenario("metrics_series", [f"/v1/artists/{a}/metrics?platform=youtube&metric=subscribers&from={year_ago}" for a in artists]),
        Scenario("artist_growth", [f"/v1/artists/{a}/growth?period=30d" for a in artists]),
        Scenario("growth", [f"/v1/artists/growth?{w}&order={o}&limit=50" for w in windows for o in ("pct_desc", "abs_desc")]),
        Scenario("top", [f"/v1/artists/top?{w}&by={b}&limit={n}" for w in windows for b in ("pct", "abs") for n in (10, 50)]),
        Scenario("filter", [f"/v1/artists/filter?platform=youtube&metric=subscribers&period=30d&lt={t:.0f}" for t in thresholds or []]
                 or ["/v1/artists/filter?platform=youtube&metric=subscribers&lt=50000"]),
        Scenario("anomalies", ["/v1/anomalies", "/v1/anomalies?platform=youtube", "/v1/anomalies?metric=subscribers"]),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@contextmanager
def served_api(env: dict[str, str], log: Path) -> Iterator[str]:
    """`python -m api serve` on a free loopback port until the block ends."""
    port = free_port()
    env = {**env, settings.API_HOST_VAR: LOOPBACK, settings.API_PORT_VAR: str(port)}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "api", "serve"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=settings.PROJECT_ROOT)
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start; see {log}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _load(url: str, key: str, paths: list[str], concurrency: int, seconds: float,
                max_requests: int) -> tuple[list[float], dict[str, int], float]:
    """``concurrency`` clients on keep-alive connections until ``seconds`` or ``max_requests``.

    Why aiohttp and not httpx (the project's client elsewhere): on 2 shared cores the load
    generator must cost less than the server it measures, and httpx's async client spent
    several times the server's CPU per request here.
    """
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    queue = itertools.cycle(paths)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base_url=url, headers={"X-API-Key": key}, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=30)) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline and len(latencies) < max_requests:
                path = next(queue)
                sent = time.perf_counter()
                try:
                    async with session.get(path) as response:
                        await response.read()
                        status = str(response.status)
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    status = type(error).__name__
                latencies.append(time.perf_counter() - sent)
                statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, statuses, time.perf_counter() - started


def measure(url: str, key: str, scenario: Scenario, mode: str, concurrency: int, seconds: float,
            max_requests: int) -> Outcome:
    if mode == "warm":  # one pass fills the cache with every URL of the run
        asyncio.run(_load(url, key, scenario.urls, concurrency, 600, len(scenario.urls)))
    latencies, statuses, elapsed = asyncio.run(_load(url, key, scenario.urls, concurrency, seconds, max_requests))
    p50, p95, p99 = (np.percentile(latencies, [50, 95, 99]) * 1000).round(2) if latencies else (0, 0, 0)
    errors = sum(n for status, n in statuses.items() if status not in ("200", "304"))
    return Outcome(endpoint=scenario.name, mode=mode, requests=len(latencies), seconds=round(elapsed, 2),
                   requests_per_s=round(len(latencies) / elapsed, 1), p50_ms=float(p50), p95_ms=float(p95),
                   p99_ms=float(p99), errors=errors, statuses=statuses)


def markdown(outcomes: list[Outcome]) -> str:
    lines = ["| endpoint | cache | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for o in outcomes:
        lines.append(f"| {o.endpoint} | {o.mode} | {o.requests:,} | {o.requests_per_s:,.0f} | {o.p50_ms:.1f} | "
                     f"{o.p95_ms:.1f} | {o.p99_ms:.1f} | {o.errors} |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", default=os.environ.get(settings.WAREHOUSE_VAR) or str(settings.DATA_DIR / "warehouse.duckdb"),
                        help="the warehouse whose published snapshot is served, as URATED_WAREHOUSE names it: a DuckDB "
                             "file or ducklake:... (default: URATED_WAREHOUSE, else data/warehouse.duckdb; the bench "
                             "world's is data/bench/file/warehouse.duckdb)")
    parser.add_argument("--publish", action="store_true",
                        help="publish the warehouse's current state first (default: only when nothing is published yet)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds per endpoint and mode (default 20)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="requests per endpoint and mode at most")
    parser.add_argument("--artists", type=int, default=1000, help="artists sampled for the per-artist URLs (default 1000)")
    parser.add_argument("--endpoints", nargs="+", help="only these endpoints (names as in the table)")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES), help="cold, warm or both (default)")
    parser.add_argument("--results", type=Path, default=RESULTS_FILE, help=f"where the JSON goes (default {RESULTS_FILE})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    is_file = not args.warehouse.startswith("ducklake:")
    os.environ[settings.WAREHOUSE_VAR] = str(Path(args.warehouse).resolve()) if is_file else args.warehouse
    if not storage.target().exists():
        print(f"No warehouse at {args.warehouse}: run `make demo` (or the bench world's build) first.", file=sys.stderr)
        return 2
    if args.publish or warehouse.current_snapshot() is None:
        print(f"[bench-api] publishing {storage.target().describe()} ...")
        warehouse.publish()
    from api.keys import KeyStore

    with warehouse.read_snapshot() as con:
        (artists_total,) = con.execute("select count(*) from marts.dim_artists").fetchone()
    chosen = [s for s in scenarios(sample_artists(args.artists)) if not args.endpoints or s.name in args.endpoints]
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="urated_bench_api_") as scratch:
        keys = Path(scratch) / "keys.sqlite"
        _, key = KeyStore(keys).create("bench", rate="100000000/minute")
        env = {**os.environ, settings.API_KEYS_VAR: str(keys), settings.API_ANONYMOUS_RATE_VAR: "100000000/minute"}
        for mode in args.modes:
            cache = {settings.API_CACHE_VAR: "0" if mode == "cold" else "8192"}
            with served_api({**env, **cache}, Path(scratch) / f"api_{mode}.log") as url:
                for scenario in chosen:
                    outcome = measure(url, key, scenario, mode, args.concurrency, args.seconds, args.max_requests)
                    print(f"[bench-api] {mode:<4} {scenario.name:<15} {outcome.requests_per_s:>8,.0f} req/s  "
                          f"p50 {outcome.p50_ms:.1f}  p95 {outcome.p95_ms:.1f}  p99 {outcome.p99_ms:.1f} ms  errors {outcome.errors}")
                    outcomes.append(outcome)
    results = {
        "warehouse": storage.target().describe(),
        "artists": artists_total,
        "concurrency": args.concurrency,
        "seconds_per_endpoint": args.seconds,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "outcomes": [asdict(o) for o in outcomes],
    }
    args.results.write_text(json.dumps(results, indent=2))
    print(f"\n{artists_total:,} artists, {args.concurrency} concurrent clients, {args.seconds:g} s per endpoint and cache mode\n")
    print(markdown(outcomes))
    return 0 if all(o.errors == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
