"""Run the real dbt CLI against a temporary warehouse, the way Dagster does.

Why a subprocess: dbt keeps global state (flags, adapters, the manifest cache) per
process, so in-process runs against different warehouses leak into each other.

Why relative paths: every test folder holds its own `warehouse.duckdb` and
`artists.csv`, and dbt runs with that folder as its working directory, so the profile
and `--vars` are byte-identical across tests and dbt's partial-parse file from the
first run can be reused by every later one (a changed profile forces a full parse).
Each folder has its own target and logs, so parallel runs never collide.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from urated import settings

DBT = str(Path(sys.executable).with_name("dbt"))
WAREHOUSE_FILE = "warehouse.duckdb"
WATCHLIST_FILE = "artists.csv"
PARTIAL_PARSE = "partial_parse.msgpack"
_parsed: list[Path] = []  # the first partial-parse file this process produced


@dataclass
class DbtRun:
    returncode: int
    output: str
    results: dict[str, str]  # unique_id -> status, from run_results.json

    def statuses(self) -> set[str]:
        return set(self.results.values())


def target_dir(folder: Path) -> Path:
    return folder / "dbt_target"


def run_dbt(args: list[str], folder: Path, project_dir: Path = settings.TRANSFORM_DIR,
            watchlist: str | None = WATCHLIST_FILE) -> DbtRun:
    """`dbt <args>` on `folder/warehouse.duckdb` with the watchlist `folder/artists.csv` (None: no watchlist set).

    `project_dir` is the repository's dbt project unless a test builds an edited copy of it.
    """
    target = target_dir(folder)
    target.mkdir(parents=True, exist_ok=True)
    shared_parse = project_dir == settings.TRANSFORM_DIR  # another project's partial parse is no help
    if shared_parse and _parsed and not (target / PARTIAL_PARSE).exists():
        shutil.copy(_parsed[0], target / PARTIAL_PARSE)
    # Without a watchlist (watchlist=None) neither the variable nor the var reaches dbt.
    env = {**{k: v for k, v in os.environ.items() if k != settings.WATCHLIST_VAR},
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt_vars = {"urated_dbt_target": "file", "urated_dbt_path": WAREHOUSE_FILE,
                **({"urated_watchlist": watchlist} if watchlist else {})}
    completed = subprocess.run(
        [DBT, *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
         "--target-path", str(target), "--log-path", str(folder / "dbt_logs"), "--vars", json.dumps(dbt_vars)],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )
    if shared_parse and not _parsed and (target / PARTIAL_PARSE).exists():
        _parsed.append(folder.parent / f"{folder.name}_{PARTIAL_PARSE}")
        shutil.copy(target / PARTIAL_PARSE, _parsed[0])
    results_file = target / "run_results.json"
    results = {}
    if results_file.exists():
        results = {r["unique_id"]: r["status"] for r in json.loads(results_file.read_text())["results"]}
        results_file.unlink()  # a later command must not be judged by this one's results
    return DbtRun(completed.returncode, completed.stdout + completed.stderr, results)
