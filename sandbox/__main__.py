"""`python -m sandbox`: run every imitated service in the foreground.

Prints the `export` lines that point the pipeline at it (base URLs, the
sandbox's credentials, pacing off, its world's watchlist and YouNiverse files),
then serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import threading

from sandbox.server import start_sandbox
from sandbox.world import build_world, write_watchlist
from sandbox.youniverse_files import ensure_youniverse_files
from urated import settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the uRated sandbox (all external services on loopback).")
    parser.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (default: any free one)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--artists", type=int, default=300)
    args = parser.parse_args(argv)
    handle = start_sandbox(args.port, build_world(args.seed, args.artists))
    for name, value in handle.env().items():
        print(f"export {name}={value}")
    # The history and the watchlist are files, not services: the world's YouNiverse dataset
    # (written once per world) and the artists to collect.
    folder = ensure_youniverse_files(handle.world, settings.DATA_DIR / "youniverse")
    print(f"export {settings.YOUNIVERSE_DIR_VAR}={folder}")
    print(f"export {settings.WATCHLIST_VAR}={write_watchlist(handle.world, settings.DATA_DIR / 'sandbox_artists.csv')}")
    print(f"# sandbox serving {len(handle.world.artists)} artists on {handle.base_url}; Ctrl-C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()


if __name__ == "__main__":
    main()
