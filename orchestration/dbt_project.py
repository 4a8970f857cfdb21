"""The dbt project as dagster-dbt knows it, and the one way to run the dbt CLI against the warehouse.

``DbtProject.prepare_if_dev()`` re-parses the manifest under ``dagster dev`` (``make ui``);
everywhere else the manifest is prepared on purpose by :func:`prepare` (``make demo``,
the tests), never at import time.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from urated import settings, storage

dbt_project = DbtProject(project_dir=settings.TRANSFORM_DIR, profiles_dir=settings.TRANSFORM_DIR)


def prepare() -> Path:
    """Parse the dbt project into its manifest (``dbt parse``; partial parsing makes a repeat quick)."""
    dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


def manifest() -> Path:
    """The manifest the code location is built from: parsed now under ``dagster dev``, else as prepared."""
    dbt_project.prepare_if_dev()
    if not dbt_project.manifest_path.exists():
        prepare()
    return dbt_project.manifest_path


def dbt_executable() -> str:
    """The `dbt` of the interpreter running us, so PATH does not matter."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_vars(target: storage.Target | None = None, watchlist: str | None = None,
             session_dir: Path | None = None) -> dict:
    """``--vars`` for dbt: how its profile opens the warehouse, and which watchlist it reads."""
    values = dict((target or storage.target()).dbt_vars(session_dir))
    chosen = watchlist or os.environ.get(settings.WATCHLIST_VAR)
    if chosen:
        values["urated_watchlist"] = str(Path(chosen).expanduser().resolve())
    return values


def dbt_command(*args: str, target_path: Path | None = None, vars: dict | None = None) -> list[str]:
    """``dbt <args>`` on this project and profile, opening the warehouse ``URATED_WAREHOUSE`` names."""
    command = [dbt_executable(), *args, "--project-dir", str(settings.TRANSFORM_DIR),
               "--profiles-dir", str(settings.TRANSFORM_DIR), "--vars", json.dumps(vars or dbt_vars())]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    return command


if __name__ == "__main__":  # `make dbt ARGS="build -s fct_growth"`
    import subprocess

    raise SystemExit(subprocess.run(dbt_command(*sys.argv[1:]), check=False).returncode)
