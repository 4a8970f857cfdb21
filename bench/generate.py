"""The benchmark's world on disk: ten years of weekly history in YouNiverse format.

The world's latest Sunday is held back in a file of its own: the incremental
phase loads it as "one new week for every channel". The watchlist maps every
artist to its channel, so the marts see every artist's history.
"""

from __future__ import annotations

import json
import shutil
import time

from bench.config import BenchConfig
from sandbox.world import build_world, write_watchlist
from sandbox.youniverse_files import write_youniverse_files


def generate_world(config: BenchConfig) -> dict:
    """Write history, the held-back week and the watchlist; return what was written and how long it took."""
    started = time.perf_counter()
    world = build_world(seed=config.seed, n_artists=config.n_artists, today=config.world_day)
    for folder in (config.history_dir, config.new_week_dir):
        shutil.rmtree(folder, ignore_errors=True)
    config.root.mkdir(parents=True, exist_ok=True)
    history = write_youniverse_files(world, config.history_dir, full_history=True,
                                     n_weeks=config.weeks, until=world.weeks[-2])
    new_week = write_youniverse_files(world, config.new_week_dir, full_history=True,
                                      n_weeks=1, until=world.weeks[-1])
    write_watchlist(world, config.watchlist)
    written = {
        "channels": len(world.channels),
        "artists": len(world.artists),
        "weeks": config.weeks,
        "history_rows": history["timeseries_rows"],
        "history_bytes": history["timeseries_path"].stat().st_size,
        "first_week": str(world.history_weeks[max(len(world.history_weeks) - 1 - config.weeks, 0)]),
        "last_history_week": str(world.weeks[-2]),
        "new_week": str(world.weeks[-1]),
        "new_week_rows": new_week["timeseries_rows"],
        "seconds": round(time.perf_counter() - started, 3),
    }
    # Later runs measuring only some phases still report the scale they ran at.
    config.world_manifest.write_text(json.dumps(written, indent=2))
    return written
