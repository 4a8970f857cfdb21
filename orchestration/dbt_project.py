"""Where the dbt project lives and how its manifest is kept current.

Building the manifest runs `dbt parse` (seconds), so it happens in a function
called on purpose when the code location loads, never at import time, and only
when a file under `transform/` changed since the last parse.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from urated import settings

TARGET_PATH = settings.TRANSFORM_DIR / "target"
MANIFEST_PATH = TARGET_PATH / "manifest.json"


def dbt_executable() -> str:
    """The `dbt` of the interpreter running us, so PATH does not matter."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def export_settings_for_dbt() -> dict[str, str]:
    """Pin the settings dbt reads to absolute paths in this process's environment.

    dbt runs as a subprocess with its working directory in `transform/`, so a
    relative `URATED_WAREHOUSE` would otherwise point somewhere else for dbt
    than for dlt and Dagster. Returns the environment dbt will see.
    """
    os.environ[settings.WAREHOUSE_VAR] = str(settings.warehouse_path())
    if os.environ.get(settings.WATCHLIST_VAR):  # unset, dbt's build stops and names it
        os.environ[settings.WATCHLIST_VAR] = str(settings.watchlist_path())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return dict(os.environ)


def _newest_source_mtime() -> float:
    newest = 0.0
    for folder in ("models", "macros", "tests", "seeds", "snapshots"):
        for path in (settings.TRANSFORM_DIR / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    for name in ("dbt_project.yml", "profiles.yml"):
        path = settings.TRANSFORM_DIR / name
        if path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


@cache
def ensure_manifest() -> Path:
    """Run `dbt parse` if the manifest is missing or older than the project files."""
    if MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST_PATH
    completed = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(settings.TRANSFORM_DIR),
         "--profiles-dir", str(settings.TRANSFORM_DIR), "--target-path", str(TARGET_PATH)],
        env=export_settings_for_dbt(), capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            "dbt parse failed; the transform project does not compile:\n"
            + (completed.stdout + completed.stderr)[-4000:]
        )
    return MANIFEST_PATH
