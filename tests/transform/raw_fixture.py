"""A small raw warehouse whose marts are known in advance.

Why: the dlt loaders are written in parallel, and the dbt project must be proven
on data whose right answers we chose. This module writes the raw datasets exactly
as docs/contracts.md describes them (dlt's `_dlt_load_id` on every row and a
`_dlt_loads` table per dataset) into a temporary DuckDB file, and returns the
points it wrote so tests can recompute the marts independently.

The world (TODAY is a Sunday):
- art_alpha: a healthy channel across all four YouTube history sources, with two
  ViewStats weeks missing (interpolated), plus Spotify, Spotify web and Instagram
  data and two releases.
- art_beta: a bought-subscriber spike (+340 % in one week, views flat) planted in
  ViewStats history.
- art_gamma: a 42-day hole between Social Blade and ViewStats, longform + shorts
  far from total views, Social Blade points flagged irregular by the scraper, and
  absent from the latest YouTube API answer.
- UCdelta: only in YouNiverse and not on the watchlist, starting from 0 subscribers.
- sp_gone: an unlisted Spotify artist last returned 40 days ago (terminated).
- Rows of an unfinished dlt load (status 1) that must never reach staging.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

TODAY = date(2026, 11, 15)  # a Sunday
HISTORY_START = date(2019, 1, 6)  # a Sunday: week 0 of every synthetic series
YOUNIVERSE_END = date(2019, 9, 23)  # last YouNiverse Monday
SOCIALBLADE_START = date(2019, 9, 29)
SOCIALBLADE_END = date(2022, 8, 14)
VIEWSTATS_START = date(2022, 8, 21)
VIEWSTATS_END = TODAY - timedelta(days=7)
API_DAYS = 7  # YouTube API daily snapshots: the 7 days ending TODAY
SPIKE_WEEK = date(2024, 3, 10)
ALPHA_MISSING_WEEKS = (date(2024, 5, 12), date(2024, 5, 19))
GAMMA_SOCIALBLADE_END = date(2022, 7, 10)

# Watchlisted ids have the platforms' formats (the watchlist's dbt test checks them): a readable
# stem padded to length. Unlisted accounts (UCdelta, sp_gone) need no valid format.
UC_ALPHA, UC_BETA, UC_GAMMA = (f"UC{name}".ljust(24, "0") for name in ("alpha", "beta", "gamma"))
SP_ALPHA, SP_BETA = (f"Sp{name}".ljust(22, "0") for name in ("Alpha", "Beta"))

GOOD_LOAD = "1763200000.000001"
LATE_LOAD = "1763300000.000002"
FAILED_LOAD = "1763250000.000003"

ALL_DATASETS = (
    "raw_youtube", "raw_spotify", "raw_instagram", "raw_viewstats", "raw_wayback",
    "raw_youniverse", "raw_socialblade", "raw_spotify_web",
)

WATCHLIST = [
    {"artist_id": "art_alpha", "artist_name": "Alpha", "youtube_channel_id": UC_ALPHA,
     "spotify_artist_id": SP_ALPHA, "instagram_username": "alpha.music"},
    {"artist_id": "art_beta", "artist_name": "Beta", "youtube_channel_id": UC_BETA,
     "spotify_artist_id": SP_BETA, "instagram_username": ""},
    {"artist_id": "art_gamma", "artist_name": "Gamma", "youtube_channel_id": UC_GAMMA,
     "spotify_artist_id": "", "instagram_username": ""},
]

# Column types exactly as the raw contract gives them (dlt's own columns added below).
SCHEMAS: dict[str, dict[str, str]] = {
    "raw_youtube.channels": {
        "channel_id": "varchar", "observed_on": "date", "title": "varchar", "custom_url": "varchar",
        "country": "varchar", "published_at": "timestamptz", "subscriber_count": "bigint",
        "view_count": "bigint", "video_count": "bigint", "hidden_subscriber_count": "boolean",
        "privacy_status": "varchar", "is_active": "boolean", "collected_at": "timestamptz"},
    "raw_spotify.artists": {
        "artist_id": "varchar", "observed_on": "date", "name": "varchar", "followers": "bigint",
        "popularity": "bigint", "genres": "varchar", "is_active": "boolean", "collected_at": "timestamptz"},
    "raw_spotify.albums": {
        "album_id": "varchar", "name": "varchar", "album_type": "varchar", "release_date": "varchar",
        "release_date_precision": "varchar", "total_tracks": "bigint", "primary_artist_id": "varchar",
        "artist_ids": "varchar", "collected_at": "timestamptz"},
    "raw_spotify.tracks": {
        "track_id": "varchar", "album_id": "varchar", "name": "varchar", "track_number": "bigint",
        "disc_number": "bigint", "duration_ms": "bigint", "explicit": "boolean", "artist_ids": "varchar",
        "collected_at": "timestamptz"},
    "raw_instagram.accounts": {
        "username": "varchar", "observed_on": "date", "ig_id": "varchar", "followers_count": "bigint",
        "media_count": "bigint", "is_active": "boolean", "collected_at": "timestamptz"},
    "raw_viewstats.weekly": {
        "channel_id": "varchar", "observed_on": "date", "subscribers": "bigint", "views": "bigint",
        "longform_views": "bigint", "shorts_views": "bigint", "collected_at": "timestamptz"},
    "raw_wayback.snapshots": {
        "original_url": "varchar", "timestamp": "varchar", "channel_id": "varchar", "urlkey": "varchar",
        "mimetype": "varchar", "statuscode": "varchar", "digest": "varchar", "length": "bigint",
        "snapshot_at": "timestamptz"},
    "raw_youniverse.channels": {
        "channel_id": "varchar", "category": "varchar", "join_date": "date", "name": "varchar",
        "subscribers_cc": "bigint", "videos_cc": "bigint", "subscriber_rank_sb": "double", "weights": "double"},
    "raw_youniverse.timeseries": {
        "channel_id": "varchar", "observed_on": "date", "category": "varchar", "views": "double",
        "delta_views": "double", "subs": "double", "delta_subs": "double", "videos": "double",
        "delta_videos": "double", "activity": "double"},
    "raw_socialblade.points": {
        "channel_id": "varchar", "metric": "varchar", "observed_on": "date", "value": "double",
        "snapshot_timestamp": "varchar", "snapshot_url": "varchar", "parser": "varchar", "quality": "varchar"},
    "raw_spotify_web.monthly_listeners": {
        "artist_id": "varchar", "observed_on": "date", "monthly_listeners": "bigint", "page_url": "varchar",
        "collected_at": "timestamptz"},
}


def round_3sf(value: float) -> int:
    """Subscriber counts as YouTube and its mirrors publish them."""
    if value == 0:
        return 0
    return int(round(value, 2 - int(math.floor(math.log10(abs(value))))))


def weeks_since_start(day: date) -> float:
    return (day - HISTORY_START).days / 7


def true_subscribers(channel: str, day: date) -> float:
    """The hidden truth every YouTube source samples (exact, before rounding)."""
    w = weeks_since_start(day)
    if channel == UC_ALPHA:
        return 100_000 * 1.01 ** w
    if channel == UC_BETA:
        base = 50_000 * 1.005 ** w
        return base * 4.4 if day >= SPIKE_WEEK else base  # bought subscribers, never lost again
    if channel == UC_GAMMA:
        return 20_000 + 150 * w
    if channel == "UCdelta":
        return 40 * w  # starts at 0: growth from zero is undefined
    raise KeyError(channel)


def true_views(channel: str, day: date) -> float:
    w = weeks_since_start(day)
    scale = {UC_ALPHA: 5_000_000, UC_BETA: 2_000_000, UC_GAMMA: 900_000, "UCdelta": 10_000}[channel]
    return scale * (1 + 0.012 * w)


def true_videos(channel: str, day: date) -> float:
    return 10 + int(weeks_since_start(day))


def sundays(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def collected(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=timezone.utc)


@dataclass
class RawWorld:
    """Every row written, by `dataset.table`, so tests can recompute marts on their own."""

    rows: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)


def build_world(late: bool = False) -> RawWorld:
    """The raw rows of the first load; with `late`, only the rows of a later second load."""
    world = RawWorld()
    if late:
        _late_rows(world)
    else:
        _youniverse(world)
        _socialblade(world)
        _viewstats(world)
        _youtube_api(world)
        _spotify(world)
        _instagram(world)
        _wayback(world)
    return world


def _youniverse(world: RawWorld) -> None:
    channels = {UC_ALPHA: "Music", UC_BETA: "Music", UC_GAMMA: "Comedy", "UCdelta": "Gaming"}
    for channel, category in channels.items():
        world.add("raw_youniverse.channels", {
            "channel_id": channel, "category": category, "join_date": date(2014, 3, 1),
            "name": f"{channel[2:].rstrip('0')} channel", "subscribers_cc": int(true_subscribers(channel, YOUNIVERSE_END)),
            "videos_cc": int(true_videos(channel, YOUNIVERSE_END)), "subscriber_rank_sb": 1000.0, "weights": 1.5})
        previous = None
        for sunday in sundays(HISTORY_START, YOUNIVERSE_END - timedelta(days=1)):
            monday = sunday + timedelta(days=1)
            # YouNiverse dates are Mondays and give the value at the close of the Sunday before.
            subs, views, videos = true_subscribers(channel, sunday), true_views(channel, sunday), true_videos(channel, sunday)
            world.add("raw_youniverse.timeseries", {
                "channel_id": channel, "observed_on": monday, "category": category,
                "views": views, "delta_views": views - previous[1] if previous else 0.0,
                "subs": subs, "delta_subs": subs - previous[0] if previous else 0.0,
                "videos": float(videos), "delta_videos": 0.0, "activity": 2.0})
            previous = (subs, views)


def _socialblade(world: RawWorld) -> None:
    for channel in (UC_ALPHA, UC_BETA, UC_GAMMA):
        last = GAMMA_SOCIALBLADE_END if channel == UC_GAMMA else SOCIALBLADE_END
        for sunday in sundays(SOCIALBLADE_START, last):
            stamp = sunday.strftime("%Y%m%d") + "120000"
            for metric, value in (("subscribers", round_3sf(true_subscribers(channel, sunday))),
                                  ("views", round(true_views(channel, sunday)))):
                world.add("raw_socialblade.points", {
                    "channel_id": channel, "metric": metric, "observed_on": sunday, "value": float(value),
                    "snapshot_timestamp": stamp,
                    "snapshot_url": f"https://web.archive.org/web/{stamp}/https://socialblade.com/youtube/channel/{channel}/monthly",
                    "parser": "highcharts",
                    # Gamma's archived pages are too sparse for the scraper's weekly cadence rule.
                    "quality": "irregular" if channel == UC_GAMMA else "full"})


def _viewstats(world: RawWorld) -> None:
    for channel in (UC_ALPHA, UC_BETA, UC_GAMMA):
        for sunday in sundays(VIEWSTATS_START, VIEWSTATS_END):
            if channel == UC_ALPHA and sunday in ALPHA_MISSING_WEEKS:
                continue
            views = round(true_views(channel, sunday))
            # Gamma's split is broken: longform + shorts is only 80 % of the total.
            split = 0.8 if channel == UC_GAMMA else 1.0
            longform = round(views * 0.7 * split)
            world.add("raw_viewstats.weekly", {
                "channel_id": channel, "observed_on": sunday,
                "subscribers": round_3sf(true_subscribers(channel, sunday)), "views": views,
                "longform_views": longform, "shorts_views": round(views * split) - longform,
                "collected_at": collected(TODAY)})


def youtube_api_row(channel: str, day: date, *, is_active: bool = True) -> dict:
    return {
        "channel_id": channel, "observed_on": day, "title": f"{channel[2:].rstrip('0').title()} Official",
        "custom_url": f"@{channel[2:].rstrip('0')}", "country": "gb" if channel == UC_ALPHA else "US",
        "published_at": datetime(2014, 3, 1, tzinfo=timezone.utc),
        "subscriber_count": round_3sf(true_subscribers(channel, day)) if is_active else None,
        "view_count": round(true_views(channel, day)) if is_active else None,
        "video_count": true_videos(channel, day) if is_active else None,
        "hidden_subscriber_count": False if is_active else None, "privacy_status": "public" if is_active else None,
        "is_active": is_active, "collected_at": collected(day)}


def _youtube_api(world: RawWorld) -> None:
    for day in days(TODAY - timedelta(days=API_DAYS - 1), TODAY):
        for channel in (UC_ALPHA, UC_BETA):
            world.add("raw_youtube.channels", youtube_api_row(channel, day))
        # Gamma answered until yesterday, then vanished from `items`.
        world.add("raw_youtube.channels", youtube_api_row(UC_GAMMA, day, is_active=day < TODAY))


def spotify_followers(artist: str, day: date) -> int:
    base = {SP_ALPHA: 40_000, SP_BETA: 120_000}[artist]
    return base + 100 * (day - date(2026, 10, 1)).days


def _spotify(world: RawWorld) -> None:
    for day in days(TODAY - timedelta(days=20), TODAY):
        for artist, name in ((SP_ALPHA, "Alpha"), (SP_BETA, "Beta")):
            world.add("raw_spotify.artists", {
                "artist_id": artist, "observed_on": day, "name": name,
                "followers": spotify_followers(artist, day), "popularity": 55,
                "genres": json.dumps(["indie pop"]), "is_active": True, "collected_at": collected(day)})
    for day, active in ((TODAY - timedelta(days=40), True), (TODAY, False)):
        world.add("raw_spotify.artists", {
            "artist_id": "sp_gone", "observed_on": day, "name": "Gone" if active else None,
            "followers": 5_000 if active else None, "popularity": 10 if active else None,
            "genres": None, "is_active": active, "collected_at": collected(day)})
    for sunday in sundays(TODAY - timedelta(days=49), TODAY):
        world.add("raw_spotify_web.monthly_listeners", {
            "artist_id": SP_ALPHA, "observed_on": sunday,
            "monthly_listeners": 200_000 + 1_000 * (sunday - date(2026, 9, 1)).days,
            "page_url": f"https://open.spotify.com/artist/{SP_ALPHA}", "collected_at": collected(sunday)})
    albums = [("alb_single", "Early Single", "single", "2026-06", "month", 1),
              ("alb_album", "Big Album", "album", "2026-11-01", "day", 2)]
    for album_id, name, kind, released, precision, tracks in albums:
        world.add("raw_spotify.albums", {
            "album_id": album_id, "name": name, "album_type": kind, "release_date": released,
            "release_date_precision": precision, "total_tracks": tracks, "primary_artist_id": SP_ALPHA,
            "artist_ids": json.dumps([SP_ALPHA]), "collected_at": collected(TODAY)})
        for number in range(1, tracks + 1):
            world.add("raw_spotify.tracks", {
                "track_id": f"{album_id}_t{number}", "album_id": album_id, "name": f"{name} {number}",
                "track_number": number, "disc_number": 1, "duration_ms": 180_000, "explicit": False,
                "artist_ids": json.dumps([SP_ALPHA]), "collected_at": collected(TODAY)})


def _instagram(world: RawWorld) -> None:
    for day in days(TODAY - timedelta(days=20), TODAY):
        world.add("raw_instagram.accounts", {
            "username": "Alpha.Music", "observed_on": day, "ig_id": "1784",
            "followers_count": 30_000 + 50 * (day - date(2026, 10, 1)).days, "media_count": 300,
            "is_active": True, "collected_at": collected(day)})


def _wayback(world: RawWorld) -> None:
    for channel in (UC_ALPHA, UC_BETA):
        stamp = "20210103120000"
        world.add("raw_wayback.snapshots", {
            "original_url": f"https://socialblade.com/youtube/channel/{channel}/monthly", "timestamp": stamp,
            "channel_id": channel, "urlkey": f"com,socialblade)/youtube/channel/{channel.lower()}/monthly",
            "mimetype": "text/html", "statuscode": "200", "digest": f"D{channel}", "length": 51234,
            "snapshot_at": datetime(2021, 1, 3, 12, tzinfo=timezone.utc)})


def _late_rows(world: RawWorld) -> None:
    """A second load: one more API day, and a late ViewStats backfill of a week alpha missed."""
    tomorrow = TODAY + timedelta(days=1)
    for channel in (UC_ALPHA, UC_BETA):
        world.add("raw_youtube.channels", youtube_api_row(channel, tomorrow))
    world.add("raw_youtube.channels", youtube_api_row(UC_GAMMA, tomorrow, is_active=False))
    sunday = ALPHA_MISSING_WEEKS[0]
    views = round(true_views(UC_ALPHA, sunday))
    world.add("raw_viewstats.weekly", {
        "channel_id": UC_ALPHA, "observed_on": sunday,
        "subscribers": round_3sf(true_subscribers(UC_ALPHA, sunday)), "views": views,
        "longform_views": round(views * 0.7), "shorts_views": views - round(views * 0.7),
        "collected_at": collected(tomorrow)})


def _create_table(con: duckdb.DuckDBPyConnection, table: str, schema: dict[str, str] | None = None) -> None:
    columns = ", ".join(f'"{name}" {kind}' for name, kind in (schema or SCHEMAS[table]).items())
    con.execute(f"create table if not exists {table} ({columns}, _dlt_load_id varchar not null, _dlt_id varchar not null)")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], load_id: str,
            schema: dict[str, str] | None = None) -> None:
    schema = schema or SCHEMAS[table]
    names = list(schema)
    batch = pa.table({name: [row.get(name) for row in rows] for name in names})
    con.register("batch", batch)
    cast = ", ".join(f'cast("{n}" as {schema[n]})' for n in names)
    con.execute(
        f"insert into {table} select {cast}, ?, ? || '_' || cast(row_number() over () as varchar) from batch",
        [load_id, load_id])
    con.unregister("batch")


def _record_load(con: duckdb.DuckDBPyConnection, dataset: str, load_id: str, status: int) -> None:
    con.execute(f"""create table if not exists {dataset}._dlt_loads (
        load_id varchar not null, schema_name varchar, status bigint not null,
        inserted_at timestamptz not null, schema_version_hash varchar)""")
    con.execute(f"insert into {dataset}._dlt_loads values (?, ?, ?, now(), 'fixture')",
                [load_id, dataset.removeprefix("raw_"), status])


def _connect(where) -> duckdb.DuckDBPyConnection:
    """A DuckDB file by its path, or any storage target (``urated.storage``: a file or a DuckLake)."""
    return duckdb.connect(str(where)) if isinstance(where, (str, Path)) else where.connect()


def write_world(path, world: RawWorld, load_id: str, datasets=ALL_DATASETS) -> None:
    """Write rows as one completed dlt load per dataset (``path``: a file or a storage target)."""
    with _connect(path) as con:
        for table, rows in world.rows.items():
            dataset = table.split(".")[0]
            if dataset not in datasets:
                continue
            con.execute(f"create schema if not exists {dataset}")
            _create_table(con, table)
            _insert(con, table, rows, load_id)
        for dataset in {t.split(".")[0] for t in world.rows} & set(datasets):
            _record_load(con, dataset, load_id, status=0)


def write_table(path: Path, table: str, schema: dict[str, str], rows: list[dict], load_id: str = GOOD_LOAD) -> None:
    """A raw table of a source the fixture does not know (`schema`: column -> type), as one completed load."""
    dataset = table.split(".")[0]
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema if not exists {dataset}")
        _create_table(con, table, schema)
        _insert(con, table, rows, load_id, schema)
        _record_load(con, dataset, load_id, status=0)


def write_failed_load(path) -> None:
    """An unfinished dlt load (status 1) whose absurd rows must never reach staging."""
    row = {"channel_id": UC_ALPHA, "observed_on": VIEWSTATS_END, "subscribers": 999_000_000,
           "views": 1, "longform_views": 1, "shorts_views": 0, "collected_at": collected(TODAY)}
    with _connect(path) as con:
        _create_table(con, "raw_viewstats.weekly")
        _insert(con, "raw_viewstats.weekly", [row], FAILED_LOAD)
        _record_load(con, "raw_viewstats", FAILED_LOAD, status=1)


def build_raw_warehouse(path, datasets=ALL_DATASETS) -> RawWorld:
    """The first-load warehouse (plus a failed load when ViewStats is included)."""
    world = build_world()
    write_world(path, world, GOOD_LOAD, datasets)
    if "raw_viewstats" in datasets:
        write_failed_load(path)
    return world


def add_late_load(path) -> RawWorld:
    """Append the second load, as a daily run the day after TODAY would."""
    world = build_world(late=True)
    write_world(path, world, LATE_LOAD)
    return world


def write_watchlist(path: Path) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(WATCHLIST[0]))
        writer.writeheader()
        writer.writerows(WATCHLIST)
    return path
