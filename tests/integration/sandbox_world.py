"""A seeded sandbox world with every setting pointing into one folder: the setup both
integration fixtures (the shared end-to-end run and the anomaly-quality world) need."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


def warehouse_setting(root: Path, target_kind: str) -> dict[str, str]:
    """The settings naming a fresh warehouse of that kind under ``root``: a DuckDB file or a DuckLake."""
    if target_kind == "file":
        return {"URATED_WAREHOUSE": str(root / "warehouse.duckdb")}
    return {"URATED_WAREHOUSE": f"ducklake:sqlite:{root / 'lake' / 'catalog.sqlite'}",
            "URATED_LAKE_DATA_PATH": str(root / "lake" / "files")}


@contextmanager
def sandbox_world(root: Path, seed: int, n_artists: int, target_kind: str = "file") -> Iterator[tuple[object, object]]:
    """A seeded world served by the sandbox, with every setting pointing into ``root``.

    Yields the world and the warehouse's storage target; inside the block the pipeline
    (``materialize_everything``) talks only to this sandbox and writes only under ``root``.
    """
    from urated import storage

    from sandbox.server import start_sandbox
    from sandbox.world import build_world, write_watchlist
    from sandbox.youniverse_files import write_youniverse_files

    world = build_world(seed=seed, n_artists=n_artists)
    watchlist = write_watchlist(world, root / "artists.csv")
    write_youniverse_files(world, root / "youniverse")
    (root / "dagster_home").mkdir()
    with start_sandbox(world=world) as sandbox, pytest.MonkeyPatch.context() as env:
        for name, value in sandbox.env().items():
            env.setenv(name, value)
        for name, value in warehouse_setting(root, target_kind).items():
            env.setenv(name, value)
        env.setenv("URATED_ARTISTS", str(watchlist))
        env.setenv("URATED_YOUNIVERSE_DIR", str(root / "youniverse"))
        env.setenv("DAGSTER_HOME", str(root / "dagster_home"))
        yield world, storage.target()
