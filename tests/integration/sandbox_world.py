"""A seeded sandbox world with every setting pointing into one folder: the setup both
integration fixtures (the shared end-to-end run and the anomaly-quality world) need."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


@contextmanager
def sandbox_world(root: Path, seed: int, n_artists: int) -> Iterator[tuple[object, Path]]:
    """A seeded world served by the sandbox, with every setting pointing into ``root``.

    Yields the world and the warehouse path; inside the block the pipeline
    (``materialize_everything``) talks only to this sandbox and writes only under ``root``.
    """
    from sandbox.server import start_sandbox
    from sandbox.world import build_world, write_watchlist
    from sandbox.youniverse_files import write_youniverse_files

    world = build_world(seed=seed, n_artists=n_artists)
    watchlist = write_watchlist(world, root / "artists.csv")
    write_youniverse_files(world, root / "youniverse")
    warehouse = root / "warehouse.duckdb"
    (root / "dagster_home").mkdir()
    with start_sandbox(world=world) as sandbox, pytest.MonkeyPatch.context() as env:
        for name, value in sandbox.env().items():
            env.setenv(name, value)
        env.setenv("URATED_WAREHOUSE", str(warehouse))
        env.setenv("URATED_ARTISTS", str(watchlist))
        env.setenv("URATED_YOUNIVERSE_DIR", str(root / "youniverse"))
        env.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        yield world, warehouse
