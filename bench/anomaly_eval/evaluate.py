"""Inject fraud into copies of real series, run the pipeline, and score what fct_anomalies flags.

The scenario (fixed, so two runs score the same data):
- each real series is kept once untouched: whatever is flagged there is a flag on real weeks,
  listed with its reason;
- Social Blade channels (156 weeks) and the Spotify artist (50 weeks) get COPIES copies each, with
  an event every 12 (10) weeks (beyond the 8 weeks either side a week is judged against), kinds and sizes taken in turn so every combination appears;
- each daily-snapshot channel (4-5 weeks of growth) gets one copy with one event in one of its
  last two weeks, and one copy caught in a platform purge: 90 % of those lose 2-6 % of their
  subscribers the week ending 2026-02-01.

Scoring: an injected event is found when fct_anomalies flags its series and metric within a week
of it with the injected kind. A flag is true when it is such a match, false otherwise (on a copy
or on an untouched series); a copy's flag on a real week its untouched series is flagged at too is
that real week's flag, counted once. Injections the platform could not publish (a purge taking a
rounded count below a power of ten, where rounding would turn finer) are not made. The headline counts the events a platform could show at all (beyond
two rounding steps) of at least MIN_MULTIPLE times the usual weekly gain.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from bench.anomaly_eval import realdata
from bench.anomaly_eval.inject import CannotInject, Injection, event_weeks, inject, weekly_gains
from bench.anomaly_eval.pipeline import artist_id, judged_weeks, read_flags, run_pipeline

COPIES = {"youtube": 3, "spotify": 12}
MIN_MULTIPLE = 5.0
SIZES = {"bought_followers": (3, 5, 8, 12, 20), "botted_views": (3, 5, 8, 12, 20),
         "purge": (0.02, 0.05, 0.10, 0.20), "fake_streams": (0.2, 0.4, 0.8, 1.5)}
KINDS = {"youtube": ("bought_followers", "botted_views", "purge"),
         "spotify": ("bought_followers", "fake_streams", "purge")}
METRIC = {"bought_followers": {"youtube": "subscribers", "spotify": "followers"},
          "botted_views": {"youtube": "views"}, "fake_streams": {"spotify": "monthly_listeners"},
          "purge": {"youtube": "subscribers", "spotify": "followers"}}
PLATFORM_PURGE_WEEK = np.datetime64("2026-02-01")
PLATFORM_PURGE_SHARE, PLATFORM_PURGE_LOSS = 0.9, (0.02, 0.06)
MATCH_DAYS = 7


def _turns(platform: str):
    """Every (kind, size) of a platform, in turn, forever."""
    return itertools.cycle([(k, s) for k in KINDS[platform] for s in SIZES[k]])


def build_scenario(seed: int = 13) -> tuple[list[realdata.Series], list[realdata.Series], list[Injection]]:
    """(YouTube series, Spotify series, injected events); copies name their real series in ``base``."""
    rng = np.random.default_rng(seed)
    youtube, spotify, truth = [], [], []
    long_series = [realdata.socialblade_series(name) for name in realdata.SOCIALBLADE] + [realdata.spotify_series()]
    for base in long_series:
        turns = _turns(base.platform)
        spacing, first = (12, 10) if base.platform == "youtube" else (10, 18)
        copies = [base] + [base.copy(realdata.channel_id(base.key, str(c)) if base.platform == "youtube"
                                     else realdata.spotify_id(base.key, str(c)))
                           for c in range(1, COPIES[base.platform] + 1)]
        for c, series in enumerate(copies[1:]):
            for week in event_weeks(series, first + (4 * c) % spacing, spacing):
                kind, size = next(turns)
                try:
                    truth.append(inject(series, METRIC[kind][series.platform], week, kind, size))
                except CannotInject:
                    continue
        (youtube if base.platform == "youtube" else spotify).extend(copies)
    turns = _turns("youtube")
    for base in realdata.mftn_series():
        youtube.append(base)
        copy = base.copy(realdata.channel_id(base.key, "injected"))
        kind, size = next(turns)
        weeks, _ = weekly_gains(copy, "subscribers")
        week, hit, loss = weeks[-1 - int(rng.integers(0, 2))], rng.random(), float(rng.uniform(*PLATFORM_PURGE_LOSS))
        try:
            truth.append(inject(copy, METRIC[kind]["youtube"], week, kind, size))
        except CannotInject:
            pass
        purged = base.copy(realdata.channel_id(base.key, "platform_purge"))
        if hit < PLATFORM_PURGE_SHARE and PLATFORM_PURGE_WEEK in weekly_gains(purged, "subscribers")[0]:
            try:
                truth.append(replace(inject(purged, "subscribers", PLATFORM_PURGE_WEEK, "purge", loss),
                                     kind="platform_purge"))
            except CannotInject:
                pass
        youtube.extend([copy, purged])
    return youtube, spotify, truth


def score(truth: list[Injection], flags: list[dict], bases: dict[str, str]) -> dict:
    """Per platform × kind: events, headline events, found, flags, true and false flags.

    ``bases`` maps each copy's artist to the real series' artist. A flag on a copy at a week, metric
    and kind its real series is flagged at too is that real week's flag, counted once, there.
    """
    real_week_flags = {(f["artist_id"], f["metric"], f["week_at"], f["kind"]) for f in flags
                       if f["artist_id"] not in bases}
    by_series: dict[tuple, list[Injection]] = {}
    for event in truth:
        by_series.setdefault((_artist(event), event.metric), []).append(event)
    found: set[int] = set()
    table: dict[tuple, dict] = {}

    def row(platform, kind):
        return table.setdefault((platform, kind), {"platform": platform, "kind": kind, "injected": 0, "headline": 0,
                                                   "found": 0, "flags": 0, "true_flags": 0, "false_flags": 0,
                                                   "untouched_flags": 0})

    untouched_flags = []
    for flag in flags:
        base = bases.get(flag["artist_id"])
        if base and (base, flag["metric"], flag["week_at"], flag["kind"]) in real_week_flags:
            continue
        r = row(flag["platform"], flag["kind"])
        r["flags"] += 1
        week = np.datetime64(flag["week_at"], "D")
        matches = [e for e in by_series.get((flag["artist_id"], flag["metric"]), [])
                   if abs((e.week - week).astype(int)) <= MATCH_DAYS and e.kind == flag["kind"]]
        if matches:
            r["true_flags"] += 1
            found.update(id(e) for e in matches)
        else:
            r["false_flags"] += 1
            if flag["artist_id"] not in bases:
                r["untouched_flags"] += 1
                untouched_flags.append(flag)
    sizes: dict[tuple, dict] = {}
    for event in truth:
        r = row(event.platform, event.kind)
        r["injected"] += 1
        headline = bool(event.observable and event.multiple >= MIN_MULTIPLE)
        is_found = id(event) in found
        r["headline"] += int(headline)
        r["found"] += int(headline and is_found)
        size = round(event.size, 2)  # platform purge losses vary per account: whole percents
        s = sizes.setdefault((event.platform, event.kind, size), {
            "platform": event.platform, "kind": event.kind, "size": size, "injected": 0, "observable": 0,
            "found": 0, "median_multiple": []})
        s["injected"] += 1
        s["observable"] += int(event.observable)
        s["found"] += int(event.observable and is_found)
        s["median_multiple"].append(float(event.multiple))
    for s in sizes.values():
        s["median_multiple"] = round(float(np.median(s["median_multiple"])), 1)
    platform_events = sorted({(f["platform"], str(f["week_at"])) for f in flags if f["kind"] == "platform_purge"})
    rows = sorted(table.values(), key=lambda r: (r["platform"], r["kind"]))
    headline = sum(r["headline"] for r in rows)
    flagged = sum(r["flags"] for r in rows)
    return {
        "rows": rows, "sizes": sorted(sizes.values(), key=lambda s: (s["platform"], s["kind"], s["size"])),
        "recall": round(sum(r["found"] for r in rows) / headline, 3) if headline else None,
        "precision": round(sum(r["true_flags"] for r in rows) / flagged, 3) if flagged else None,
        "platform_events": platform_events,
        "untouched_flags": [{**f, "week_at": str(f["week_at"])} for f in untouched_flags],
    }


def _artist(event: Injection) -> str:
    return ("yt_" if event.platform == "youtube" else "sp_") + event.key


def run(root: Path) -> dict:
    youtube, spotify, truth = build_scenario()
    timings = run_pipeline(youtube, spotify, root)
    flags = read_flags(root / "warehouse.duckdb")
    by_key = {s.key: s for s in youtube + spotify}
    bases = {artist_id(s): artist_id(by_key[s.base]) for s in youtube + spotify if s.base}
    result = score(truth, flags, bases)
    untouched = {artist_id(s) for s in youtube + spotify if not s.base}
    result.update(timings=timings, series={"youtube": len(youtube), "spotify": len(spotify)},
                  untouched_weeks=judged_weeks(root / "warehouse.duckdb", untouched),
                  events=len(truth), truth=[{**asdict(e), "week": str(e.week)} for e in truth])
    return result


def write(result: dict, path: Path) -> Path:
    path.write_text(json.dumps(result, indent=1, default=str))
    return path
