"""The real pipeline on the evaluation's series: raw loads, then dbt up to fct_anomalies.

Weekly YouTube series go in as a YouNiverse history (the loader takes any weekly history in its
file format). Daily series are loaded as the daily collection writes them, one row a day through
dlt with the sources' own column types: YouTube API snapshots into raw_youtube.channels, Spotify
into raw_spotify.artists and raw_spotify_web.monthly_listeners. None of the series is on the watchlist: each account becomes its own artist (yt_<channel>,
sp_<artist>), as unlisted accounts do.
"""

from __future__ import annotations

import csv
import os
import subprocess
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import dlt
import duckdb
import numpy as np

from bench.anomaly_eval.realdata import Series
from ingestion.watchlist import COLUMNS as WATCHLIST_COLUMNS
from ingestion.youniverse.settings import CHANNELS_FILE_COLUMNS, TIMESERIES_FILE_COLUMNS
from urated import settings

ANOMALY_MART = "fct_anomalies"


def artist_id(series: Series) -> str:
    """The artist identity resolution gives an unlisted account."""
    return ("yt_" if series.platform == "youtube" else "sp_") + series.key


def write_youniverse_history(series: list[Series], folder: Path) -> Path:
    """The weekly YouTube series as df_channels_en.tsv and df_timeseries_en.tsv (rows dated Monday)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "df_timeseries_en.tsv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(TIMESERIES_FILE_COLUMNS)
        for s in series:
            subs, views = s.metrics["subscribers"], s.metrics["views"]
            for i, sunday in enumerate(s.days):
                monday = (sunday + np.timedelta64(1, "D")).astype(str)
                d_subs = subs[i] - subs[i - 1] if i else 0.0
                d_views = views[i] - views[i - 1] if i else 0.0
                out.writerow([s.key, "Science & Technology", monday, f"{views[i]:.0f}", f"{d_views:.0f}",
                              f"{subs[i]:.0f}", f"{d_subs:.0f}", "", "", ""])
    with open(folder / "df_channels_en.tsv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(CHANNELS_FILE_COLUMNS)
        for rank, s in enumerate(series, start=1):
            out.writerow(["Science & Technology", s.days[0].astype(str), s.key, s.title,
                          f"{s.metrics['subscribers'][-1]:.0f}", "", rank, "1.0"])
    return folder


def _collected(day: np.datetime64) -> tuple[object, datetime]:
    on = day.astype(object)
    return on, datetime(on.year, on.month, on.day, 6, tzinfo=timezone.utc)


def youtube_rows(series: list[Series]) -> list[dict]:
    """raw_youtube.channels rows, one a day per channel."""
    rows = []
    for s in series:
        for day, subscribers, views in zip(s.days, s.metrics["subscribers"], s.metrics["views"]):
            on, collected = _collected(day)
            rows.append({"channel_id": s.key, "observed_on": on, "title": s.title, "subscriber_count": int(subscribers),
                         "view_count": int(views), "hidden_subscriber_count": False, "privacy_status": "public",
                         "is_active": True, "collected_at": collected})
    return rows


def spotify_rows(series: list[Series]) -> tuple[list[dict], list[dict]]:
    """(raw_spotify.artists rows, raw_spotify_web.monthly_listeners rows), one a day per artist."""
    artists, listeners = [], []
    for s in series:
        for day, followers, monthly in zip(s.days, s.metrics["followers"], s.metrics["monthly_listeners"]):
            on, collected = _collected(day)
            artists.append({"artist_id": s.key, "observed_on": on, "name": s.title, "followers": int(followers),
                            "genres": "[]", "is_active": True, "collected_at": collected})
            listeners.append({"artist_id": s.key, "observed_on": on, "monthly_listeners": int(monthly),
                              "page_url": f"https://open.spotify.com/artist/{s.key}", "collected_at": collected})
    return artists, listeners


def load_daily(youtube: list[Series], spotify: list[Series]) -> None:
    """The daily series through dlt, merged on their natural keys as the daily sources are."""
    from ingestion.pipeline import make_pipeline
    from ingestion.spotify import ARTIST_COLUMNS
    from ingestion.youtube import CHANNEL_COLUMNS
    from scrapers.loading import LISTENER_COLUMNS

    artists, listeners = spotify_rows(spotify)
    for source, table, rows, columns in (("youtube", "channels", youtube_rows(youtube), CHANNEL_COLUMNS),
                                         ("spotify", "artists", artists, ARTIST_COLUMNS),
                                         ("spotify_web", "monthly_listeners", listeners, LISTENER_COLUMNS)):
        key = ["channel_id" if source == "youtube" else "artist_id", "observed_on"]
        if rows:
            make_pipeline(source).run(dlt.resource(rows, name=table, write_disposition="merge", primary_key=key,
                                                   columns=columns))


@contextmanager
def evaluation_warehouse(root: Path):
    """Every setting pointing into ``root`` while the block runs (warehouse, watchlist, history)."""
    watchlist = root / "artists.csv"
    root.mkdir(parents=True, exist_ok=True)
    watchlist.write_text(",".join(WATCHLIST_COLUMNS) + "\n")
    names = (settings.WAREHOUSE_VAR, settings.WATCHLIST_VAR, settings.YOUNIVERSE_DIR_VAR)
    before = {name: os.environ.get(name) for name in names}
    os.environ.update({settings.WAREHOUSE_VAR: str(root / "warehouse.duckdb"), settings.WATCHLIST_VAR: str(watchlist),
                       settings.YOUNIVERSE_DIR_VAR: str(root / "youniverse")})
    try:
        yield root / "warehouse.duckdb"
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_pipeline(youtube: list[Series], spotify: list[Series], root: Path) -> dict:
    """Load the series into a fresh warehouse under ``root`` and build every model up to fct_anomalies.

    Returns the seconds each step took; raises with dbt's output when the build fails.
    """
    from ingestion.youniverse import load_youniverse
    from orchestration.dbt_project import dbt_command

    timings = {}
    with evaluation_warehouse(root) as warehouse:
        warehouse.unlink(missing_ok=True)
        started = time.monotonic()
        load_youniverse(write_youniverse_history([s for s in youtube if s.is_weekly], root / "youniverse"))
        load_daily([s for s in youtube if not s.is_weekly], spotify)
        timings["load_s"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        command = dbt_command("build", "--select", f"+{ANOMALY_MART}", "--exclude", "resource_type:test",
                              "resource_type:unit_test", target_path=root / "dbt_target")
        done = subprocess.run(command, cwd=settings.TRANSFORM_DIR, capture_output=True, text=True, check=False,
                              env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
        timings["dbt_s"] = round(time.monotonic() - started, 1)
        if done.returncode != 0:
            raise RuntimeError(f"dbt build failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}")
    return timings


def judged_weeks(warehouse: Path, artists: set[str]) -> int:
    """How many weeks of ``artists`` the detector judged (trusted feature weeks)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("""
            select count(*) from intermediate.int_anomalies__features
            where not is_interpolated and not is_junction_break and artist_id in (select unnest(?))
        """, [sorted(artists)]).fetchone()[0]


def read_flags(warehouse: Path) -> list[dict]:
    """Every flagged week (one row per week: the robust rule's row) with its kind and reason."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            select artist_id, platform, metric, week_at, kind, is_anomaly, reason, score
            from marts.fct_anomalies where detector = 'robust_mad'
            order by platform, artist_id, metric, week_at
        """).fetchall()
    names = ("artist_id", "platform", "metric", "week_at", "kind", "is_anomaly", "reason", "score")
    return [dict(zip(names, r)) for r in rows]

