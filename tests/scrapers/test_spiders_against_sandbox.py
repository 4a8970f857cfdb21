"""The spiders against the live sandbox, in their own process, with faults on.

The Social Blade spider chooses its pages from ``raw_wayback.snapshots``, so each
warehouse is first given its listing by the Wayback source (phase 2A), as the
asset graph runs them. No loss: every week 2019-09 … 2022-12 of every channel in
the run is either in ``raw_socialblade.points`` with the value the world's
archived pages show, or named in a reject. No duplicate: a second run adds no
point rows. Polite and efficient: far fewer pages than one a week.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import duckdb
import pytest

from ingestion.http import FakeClock, ServiceClient
from ingestion.pipeline import make_pipeline
from ingestion.wayback import wayback_source
from ingestion.wayback.client import WaybackClient
from ingestion.wayback.settings import ERA_FIRST, ERA_LAST
from scrapers.runner import run_spider_subprocess
from scrapers.snapshot_selection import target_weeks

pytestmark = pytest.mark.integration
server = pytest.importorskip("sandbox.server")

N_CHANNELS = 8
FAST = ["--download-delay", "0", "--block-delay", "0.02"]


@pytest.fixture(scope="module")
def sandbox():
    handle = server.start_sandbox()
    yield handle
    handle.stop()


def _faults(sandbox, service: str, **knobs) -> None:
    body = json.dumps({"service": service, **knobs}).encode()
    request = urllib.request.Request(f"{sandbox.base_url}/_sandbox/faults", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()


def _reset(sandbox) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{sandbox.base_url}/_sandbox/reset", data=b"{}", method="POST"),
                           timeout=10).read()


def _env(sandbox, warehouse) -> dict[str, str]:
    return {**sandbox.env(), "URATED_WAREHOUSE": str(warehouse)}


def _list_captures(sandbox, warehouse, channels: list[str]) -> None:
    """Phase 2A into ``warehouse``: the Wayback source lists every capture of ``channels``."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in _env(sandbox, warehouse).items():
            env.setenv(name, value)
        client = WaybackClient(ServiceClient("wayback", clock=FakeClock()))
        make_pipeline("wayback", pipelines_dir=warehouse.parent / f"{warehouse.stem}_dlt").run(
            wayback_source(channel_ids=channels, client=client))


def _channels(sandbox) -> list[str]:
    ids = [a.youtube_channel_id for a in sandbox.world.artists if a.youtube_channel_id]
    return ids[:N_CHANNELS]


def _truth(world, channel_id: str) -> dict[tuple[str, dt.date], int]:
    """What the readable archived pages of a channel show within the range."""
    truth = {}
    for snapshot in world.snapshots(channel_id):
        if snapshot.layout == "broken":
            continue
        for metric, series in world.socialblade_points(channel_id, snapshot).items():
            for day, value in series:
                if ERA_FIRST <= day <= ERA_LAST:
                    truth[(metric, day)] = value
    return truth


@pytest.fixture(scope="module")
def socialblade_runs(sandbox, tmp_path_factory):
    """Two runs into one warehouse: the first with 429 bursts, 5xx, CAPTCHA pages and cut-off bodies, the second clean."""
    warehouse = tmp_path_factory.mktemp("sb") / "warehouse.duckdb"
    _reset(sandbox)
    _list_captures(sandbox, warehouse, _channels(sandbox))
    args = ["--channels", ",".join(_channels(sandbox)), *FAST, "--pipelines-dir", str(warehouse.parent / "dlt")]
    _faults(sandbox, "wayback", status_429=4, captcha=5, status_5xx=2, malformed=4)
    first = run_spider_subprocess("socialblade", env=_env(sandbox, warehouse), args=args, timeout=300)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows_after_first = con.execute("select count(*) from raw_socialblade.points").fetchone()[0]
    _reset(sandbox)
    second = run_spider_subprocess("socialblade", env=_env(sandbox, warehouse), args=args, timeout=300)
    return {"first": first, "second": second, "warehouse": warehouse, "rows_after_first": rows_after_first}


def test_faults_were_met_and_survived(socialblade_runs):
    """429 bursts, 5xx and CAPTCHA pages are the archive's normal weather."""
    stats = socialblade_runs["first"]
    assert stats["retries"] >= 10  # 4 × 429, 2 × 5xx and 4 cut-off bodies at least
    # Faults or not, both runs choose from the same stored listing.
    assert stats["naive_pages"] == socialblade_runs["second"]["naive_pages"] > 0
    assert stats["blocked_pages"] >= 1
    assert stats["items"] > 0 and stats["rows_loaded"] > 0


def test_far_fewer_pages_than_one_a_week(socialblade_runs):
    """Snapshot selection exists to spare the archive (and our time)."""
    stats = socialblade_runs["second"]
    assert stats["pages_fetched"] * 4 <= stats["naive_pages"]
    assert stats["pages_per_channel"] <= 12
    print(f"\npages/channel {stats['pages_per_channel']} vs naive {stats['naive_pages'] / N_CHANNELS:.1f}; "
          f"{stats['items_per_s']} items/s")


def test_every_week_of_every_channel_is_loaded_with_the_archived_value_or_flagged(sandbox, socialblade_runs):
    """No loss: what the archive shows is stored exactly; what it cannot show is named."""
    with duckdb.connect(str(socialblade_runs["warehouse"]), read_only=True) as con:
        loaded = {(c, m, d): v for c, m, d, v in con.execute(
            "select channel_id, metric, observed_on, value from raw_socialblade.points").fetchall()}
        rejects = con.execute("select key, reason, payload_excerpt from raw_socialblade.rejects").fetchall()
    flagged = set()
    for key, reason, payload in rejects:
        if "covered by no readable capture" in reason:
            first, last = (dt.date.fromisoformat(d) for d in payload.split(".."))
            flagged |= {(key, w) for w in target_weeks(first, last)}
    for channel_id in _channels(sandbox):
        truth = _truth(sandbox.world, channel_id)
        for metric in ("subscribers", "views"):
            for week in target_weeks():
                key = (channel_id, metric, week)
                if key in loaded:
                    assert loaded[key] == truth[(metric, week)], key
                else:
                    assert (channel_id, week) in flagged, key
        # Nothing a readable capture shows is lost to the walk's shortcuts.
        assert all((channel_id, m, d) in loaded for m, d in truth)


def test_points_keep_their_snapshot_lineage_and_a_quality_flag(socialblade_runs):
    """Lineage lets an analyst open the very capture a number came from."""
    with duckdb.connect(str(socialblade_runs["warehouse"]), read_only=True) as con:
        rows = con.execute("select snapshot_url, snapshot_timestamp, parser, quality from raw_socialblade.points "
                           "limit 50").fetchall()
    for url, taken, parser, quality in rows:
        assert f"/web/{taken:%Y%m%d%H%M%S}/" in url
        assert parser in {"highcharts", "dygraphs", "csv", "table"}
        assert quality in {"full", "partial", "irregular", "suspicious_drop"}


def test_a_second_run_adds_no_point_rows(socialblade_runs):
    """No duplicate: weekly refreshes re-crawl the same history."""
    with duckdb.connect(str(socialblade_runs["warehouse"]), read_only=True) as con:
        rows = con.execute("select count(*) from raw_socialblade.points").fetchone()[0]
        distinct = con.execute("select count(*) from (select distinct channel_id, metric, observed_on "
                               "from raw_socialblade.points)").fetchone()[0]
    assert rows == socialblade_runs["rows_after_first"] == distinct


def _spotify_run(sandbox, tmp_path, captchas: int):
    warehouse = tmp_path / "warehouse.duckdb"
    artists = [a.spotify_artist_id for a in sandbox.world.artists if a.spotify_artist_id][:6]
    _reset(sandbox)
    _faults(sandbox, "spotify_web", captcha=captchas)
    stats = run_spider_subprocess("spotify_pages", env=_env(sandbox, warehouse),
                                  args=["--artists", ",".join(artists), *FAST, "--pipelines-dir", str(tmp_path / "dlt")],
                                  timeout=120)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'raw_spotify_web'").fetchall()}
        got = dict(con.execute("select artist_id, monthly_listeners from raw_spotify_web.monthly_listeners")
                   .fetchall()) if "monthly_listeners" in tables else {}
        rejected = [k for (k,) in con.execute("select key from raw_spotify_web.rejects").fetchall()] \
            if "rejects" in tables else []
    return artists, stats, got, rejected


def test_spotify_pages_retry_a_few_captcha_pages_and_load_every_artists_listeners(sandbox, tmp_path):
    """A short block must cost retries, not data."""
    artists, stats, got, rejected = _spotify_run(sandbox, tmp_path, captchas=3)
    assert stats["blocked_pages"] == 3 and stats["retries"] >= 3
    assert rejected == []
    assert set(got) == set(artists)
    for artist_id, listeners in got.items():
        assert listeners == sandbox.world.spotify_current(artist_id)["monthly_listeners"]


def test_spotify_pages_blocked_for_good_become_rejects_never_data(sandbox, tmp_path):
    """A long block must leave rejects to retry later, never parsed challenge pages."""
    artists, stats, got, rejected = _spotify_run(sandbox, tmp_path, captchas=1000)
    assert got == {}
    assert sorted(rejected) == sorted(artists)
    assert stats["blocked_pages"] == 4 * len(artists)  # first try + 3 block retries each


def test_the_download_delay_spaces_requests_out(sandbox, tmp_path):
    """The production delay is what keeps Wayback at ≤ 1 request/s."""
    # One channel's pages, strictly one after another; the same crawl without
    # delay is the baseline (process start, dlt load).
    def crawl(delay: float, name: str) -> dict:
        _reset(sandbox)
        warehouse = tmp_path / f"{name}.duckdb"
        _list_captures(sandbox, warehouse, _channels(sandbox)[:1])
        return run_spider_subprocess("socialblade", env=_env(sandbox, warehouse),
                                     args=["--channels", _channels(sandbox)[0], "--download-delay", str(delay),
                                           "--pipelines-dir", str(tmp_path / name)], timeout=120)

    delay = 1.5  # long enough that the spacing outweighs process start and the dlt load, even on a busy machine
    fast, slow = crawl(0.0, "fast"), crawl(delay, "slow")
    gaps = slow["pages_fetched"] - 1  # one gap between consecutive pages
    # Scrapy spaces request *starts*, so the crawl lasts at least gaps × delay,
    # which the undelayed crawl (process start and dlt load included) does not reach.
    assert slow["pages_fetched"] == fast["pages_fetched"]
    assert slow["elapsed_s"] >= gaps * delay > fast["elapsed_s"]


def test_the_socialblade_spider_without_a_listing_stops_and_names_the_asset_to_run_first(sandbox, tmp_path):
    """Phase 2B reads phase 2A's table; run alone, it must say so rather than crawl nothing."""
    from scrapers.runner import SpiderRunError

    with pytest.raises(SpiderRunError, match="materialize raw/wayback/snapshots"):
        run_spider_subprocess("socialblade", env=_env(sandbox, tmp_path / "warehouse.duckdb"),
                              args=["--channels", _channels(sandbox)[0], *FAST], timeout=120)
