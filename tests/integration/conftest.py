"""One full materialization against the sandbox, shared by the end-to-end tests of this folder.

The world is small (40 artists) so the whole pipeline — every dlt source, both
spiders, the YouNiverse load and every dbt model with its tests — runs in
about a minute, into a temporary warehouse and a temporary Dagster instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from .sandbox_world import sandbox_world

# Seed 31's 40-artist world has terminated and hidden channels, a break at every junction and anomalies.
WORLD_SEED = 31
WORLD_ARTISTS = 40


@dataclass
class EndToEnd:
    world: object
    warehouse: Path
    result: object
    rerun: object
    counts_after_first: dict
    counts_after_rerun: dict


@pytest.fixture(scope="session")
def end_to_end(tmp_path_factory) -> EndToEnd:
    from orchestration.demo import materialize_everything

    with sandbox_world(tmp_path_factory.mktemp("end_to_end"), WORLD_SEED, WORLD_ARTISTS) as (world, warehouse):
        result = materialize_everything()
        counts_after_first = row_counts()
        rerun = materialize_everything()  # the same day again: merges must add nothing
        counts_after_rerun = row_counts()
    return EndToEnd(world=world, warehouse=warehouse, result=result, rerun=rerun,
                    counts_after_first=counts_after_first, counts_after_rerun=counts_after_rerun)


def row_counts() -> dict[str, int]:
    """Rows of every table of the warehouse the environment points at."""
    from urated import warehouse as wh

    with wh.connect(read_only=True) as con:
        return {t: n for t, n in wh.table_row_counts(con).items()
                if not t.split(".")[0].endswith("_staging")}  # rejects included: a re-crawl must not double them
