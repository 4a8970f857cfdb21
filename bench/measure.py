"""Wall time and peak memory of one child process, measured by the kernel.

``os.wait4`` returns the child's own resource usage; its ``ru_maxrss`` is the
peak resident set of the child and of every descendant it waited for (dbt's
Python models run inside dbt's process), so each phase's figure is its own and
not the parent's or an earlier phase's.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    returncode: int
    seconds: float
    peak_rss_bytes: int
    log_path: str


def run_measured(command: list[str], env: dict[str, str], log_path: Path, cwd: Path | None = None) -> Measured:
    """Run ``command`` to completion, its output going to ``log_path``; time it and read its peak RSS."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    unit = 1 if sys.platform == "darwin" else 1024
    return Measured(child.returncode, round(seconds, 3), usage.ru_maxrss * unit, str(log_path))


def machine() -> dict:
    """Cores and memory of the machine the figures come from."""
    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    return {"cores": os.cpu_count(), "memory_bytes": memory, "platform": platform.platform(),
            "python": platform.python_version()}


def log_tail(path: str, lines: int = 15) -> str:
    """The end of a phase's log, for the report when a phase fails."""
    text = Path(path).read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])
