"""What one benchmark run is about: its scale and where its files go.

Passed to every phase subprocess as JSON, so a phase needs nothing but this to
find the world's files and the warehouse.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from sandbox.identities import N_EXTRA_CHANNELS, SHARE_NO_YOUTUBE

FULL_CHANNELS = 153_550
FULL_WEEKS = 520
QUICK_CHANNELS = 3_000
# A fixed day, so two runs at one scale benchmark the same world.
BENCH_TODAY = "2026-11-15"
SEED = 42
TARGETS = ("file", "ducklake")


@dataclass(frozen=True)
class BenchConfig:
    """Scale and locations of a run; every path lives under ``workdir``."""

    channels: int
    weeks: int
    workdir: str
    seed: int = SEED
    today: str = BENCH_TODAY
    duckdb_memory_limit: str = "6GB"
    baseline_channels: int = 10_000
    skip_baseline: bool = False
    # fct_growth's as_of dates: the latest 52 weeks (URATED_GROWTH_HISTORY_WEEKS), as the README
    # recommends at this scale; None keeps every as_of (a billion rows at full scale).
    growth_history_weeks: int | None = 52
    # The storage target measured: "file" (one DuckDB file) or "ducklake" (SQLite catalog, Parquet files).
    target: str = "file"

    @property
    def root(self) -> Path:
        return Path(self.workdir).resolve()

    @property
    def world_day(self) -> date:
        return date.fromisoformat(self.today)

    @property
    def n_artists(self) -> int:
        """Artists giving about ``channels`` YouTube channels (some artists have none; 100 extras are not artists)."""
        return max(int(round((self.channels - N_EXTRA_CHANNELS) / (1 - SHARE_NO_YOUTUBE))), 1)

    # -- locations ----------------------------------------------------------
    @property
    def history_dir(self) -> Path:
        return self.root / "youniverse_history"

    @property
    def new_week_dir(self) -> Path:
        return self.root / "youniverse_new_week"

    @property
    def watchlist(self) -> Path:
        return self.root / "artists.csv"

    @property
    def target_root(self) -> Path:
        """Everything one target writes: its warehouse, dlt's state, dbt's targets and logs."""
        return self.root / self.target

    def warehouse_env(self) -> dict[str, str]:
        """The settings that name this run's warehouse (``URATED_WAREHOUSE`` and, for a lake, its data)."""
        if self.target == "file":
            return {"URATED_WAREHOUSE": str(self.target_root / "warehouse.duckdb")}
        return {"URATED_WAREHOUSE": f"ducklake:sqlite:{self.target_root / 'lake' / 'catalog.sqlite'}",
                "URATED_LAKE_DATA_PATH": str(self.target_root / "lake" / "files")}

    def storage(self):
        """This run's warehouse as a storage target (``urated.storage``)."""
        from urated import storage

        env = self.warehouse_env()
        return storage.parse_target(env["URATED_WAREHOUSE"], env.get("URATED_LAKE_DATA_PATH"))

    def for_target(self, target: str) -> "BenchConfig":
        return replace(self, target=target)

    @property
    def world_manifest(self) -> Path:
        return self.root / "world.json"

    @property
    def dlt_dir(self) -> Path:
        return self.target_root / "dlt"

    def dbt_target(self, phase: str) -> Path:
        return self.target_root / "dbt" / phase

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "BenchConfig":
        return cls(**json.loads(text))
