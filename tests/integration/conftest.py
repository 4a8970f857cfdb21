"""One full materialization against the sandbox, shared by the end-to-end tests of this folder.

The world is small (40 artists) so the whole pipeline — every dlt source, both
spiders, the YouNiverse load and every dbt model with its tests — runs in
about a minute, into a temporary warehouse and a temporary Dagster instance.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .sandbox_world import sandbox_world

# Seed 31's 40-artist world has terminated and hidden channels, a break at every junction and anomalies.
WORLD_SEED = 31
WORLD_ARTISTS = 40


@dataclass
class EndToEnd:
    world: object
    target: object  # urated.storage.Target: the file or the DuckLake this run wrote
    result: object
    rerun: object
    counts_after_first: dict
    counts_after_rerun: dict


@pytest.fixture(scope="session", params=["file", "ducklake"])
def end_to_end(request, tmp_path_factory) -> EndToEnd:
    """The whole pipeline twice on the same day, on each storage target."""
    from orchestration.demo import materialize_everything

    root = tmp_path_factory.mktemp(f"end_to_end_{request.param}")
    with sandbox_world(root, WORLD_SEED, WORLD_ARTISTS, request.param) as (world, target):
        result = materialize_everything()
        counts_after_first = row_counts(target)
        rerun = materialize_everything()  # the same day again: merges must add nothing
        counts_after_rerun = row_counts(target)
    return EndToEnd(world=world, target=target, result=result, rerun=rerun,
                    counts_after_first=counts_after_first, counts_after_rerun=counts_after_rerun)


def row_counts(target) -> dict[str, int]:
    from urated import warehouse as wh

    con = target.connect(read_only=True)
    try:
        return {t: n for t, n in wh.table_row_counts(con).items()
                if not t.split(".")[0].endswith("_staging") and t != "ops.publications"}  # rejects included: a re-crawl must not double them
    finally:
        con.close()
