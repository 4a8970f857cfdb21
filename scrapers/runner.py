"""Launching a spider from a long-lived process (Dagster) without touching its reactor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence

from urated.settings import PROJECT_ROOT

STDERR_TAIL_CHARS = 4000


class SpiderRunError(RuntimeError):
    """The spider process failed; the message carries the end of its stderr."""


def run_spider_subprocess(name: str, env: dict | None = None, args: Sequence[str] = (),
                          timeout: float | None = None) -> dict:
    """Run ``python -m scrapers.run <name> *args`` and return its final JSON statistics line.

    ``env`` is added to this process's environment (e.g. the sandbox's
    ``URATED_*_URL`` variables and ``URATED_WAREHOUSE``).
    """
    completed = subprocess.run(
        [sys.executable, "-m", "scrapers.run", name, *args],
        env={**os.environ, **(env or {})},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    tail = completed.stderr[-STDERR_TAIL_CHARS:]
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if completed.returncode != 0 or not lines:
        raise SpiderRunError(f"spider {name} exited with {completed.returncode}:\n{tail}")
    try:
        return json.loads(lines[-1])
    except ValueError as exc:
        raise SpiderRunError(f"spider {name} printed no statistics line ({lines[-1][:200]!r}):\n{tail}") from exc
