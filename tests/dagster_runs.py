"""Dagster runs in processes of their own, as the daemon launches them, and when their steps ran."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg

from urated import settings

WRITER = """
import sys, dagster as dg
from orchestration.definitions import defs
job = defs().resolve_job_def(sys.argv[1])
selection = [dg.AssetKey(k.split("/")) for k in sys.argv[2:]] or None
result = job.execute_in_process(instance=dg.DagsterInstance.get(), raise_on_error=False, asset_selection=selection)
sys.exit(0 if result.success else 1)
"""


def launch(job: str, keys: list[str], env: dict, log) -> subprocess.Popen:
    """A run of `job` (optionally only `keys`) in its own process."""
    return subprocess.Popen([sys.executable, "-c", WRITER, job, *keys], cwd=settings.PROJECT_ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def step_windows(instance: dg.DagsterInstance) -> list[tuple[float, float]]:
    """(start, end) of every step that succeeded in the instance's runs, in start order."""
    windows = []
    for run in instance.get_runs():
        starts = {e.step_key: e.timestamp for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)}
        for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS):
            windows.append((starts[e.step_key], e.timestamp))
    return sorted(windows)
