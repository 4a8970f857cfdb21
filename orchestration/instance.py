"""The persistent Dagster instance (`data/dagster_home`, used by `make ui` and `make demo`).

Its dagster.yaml sizes the concurrency pool `duckdb` from the storage target: one
slot for the DuckDB file (one writing process per file), `URATED_LAKE_WRITERS`
(default 4) for a DuckLake, whose writers of different tables commit side by side.

A run whose process died (SIGKILL, OOM, a closed laptop) stays STARTED and keeps its
pool slots forever, so every later writer would wait for it. Dagster's run monitoring
frees the slots of runs that *ended*; :func:`recover_dead_runs` ends the ones whose
process is gone: it marks them failed and frees their slots.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from urated import settings, storage

POOL = "duckdb"

DAGSTER_YAML = """\
# Written by `python -m orchestration.instance` (make ui, make demo). Edit freely; it is not
# overwritten. The pool `duckdb` is resized to the storage target's writer slots at every start.
concurrency:
  pools:
    default_limit: 1
  runs:
    max_concurrent_runs: 4
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
run_monitoring:
  enabled: true
  # Slots held by a run that ended without releasing them are freed after this long.
  free_slots_after_run_end_seconds: 60
telemetry:
  enabled: false
"""


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or settings.DATA_DIR / "dagster_home").resolve()


def prepare_instance(target: "storage.Target | None" = None) -> Path:
    """Write dagster.yaml if missing, size the `duckdb` pool for the storage target, and create a new lake's catalog."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)  # this process's own instance: it is what `make ui` opens

    chosen = target or storage.target()
    with dg.DagsterInstance.get() as instance:
        instance.event_log_storage.set_concurrency_slots(POOL, chosen.writer_slots())
    if chosen.kind == "ducklake":
        # Once, here: writers that attach a new lake at the same moment would each create its
        # metadata tables, and one fails ("relation ducklake_metadata already exists", seen in CI).
        chosen.connect().close()
    return config


@dataclass(frozen=True)
class DeadRun:
    run_id: str
    job_name: str
    pid: int


def _process_started_at(pid: int) -> float | None:
    """When process ``pid`` started (Unix time), or None when there is no such process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, someone else's
    try:
        # /proc/<pid>/stat field 22: start time in clock ticks after boot (Linux).
        ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration):
        return 0.0  # alive; start time unknown on this system


def _run_worker_pid(instance, run_id: str) -> tuple[int, float] | None:
    """The pid Dagster recorded for a run's worker (its engine events) and when it recorded it."""
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.event_specific_data if entry.dagster_event else None
        pid = getattr(data, "metadata", {}).get("pid") if data is not None else None
        if pid is not None:
            return int(pid.value), entry.timestamp
    return None


def dead_runs(instance) -> list[DeadRun]:
    """Unfinished runs of this instance whose worker process no longer exists."""
    unfinished = instance.get_runs(filters=dg.RunsFilter(statuses=[
        dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]))
    found = []
    for run in unfinished:
        worker = _run_worker_pid(instance, run.run_id)
        if worker is None:
            continue  # not started executing yet: nothing holds a slot
        pid, recorded_at = worker
        started = _process_started_at(pid)
        # A pid is reused by later processes: one that started after the run recorded it is another.
        if started is None or started > recorded_at + 1:
            found.append(DeadRun(run.run_id, run.job_name, pid))
    return found


def recover_dead_runs(instance) -> list[DeadRun]:
    """Mark every dead run failed and free its pool slots; returns what was recovered."""
    recovered = dead_runs(instance)
    for dead in recovered:
        run = instance.get_run_by_id(dead.run_id)
        instance.report_run_failed(run, message=f"The run's process (pid {dead.pid}) is gone: it was killed or "
                                                "crashed. Marked failed and its concurrency slots freed.")
        instance.event_log_storage.free_concurrency_slots_for_run(dead.run_id)
    return recovered


def describe_recovered(recovered: list[DeadRun]) -> str:
    """One line a user reads when an earlier run died."""
    runs = ", ".join(f"{d.job_name} {d.run_id[:8]} (pid {d.pid})" for d in recovered)
    return f"Recovered {len(recovered)} run(s) whose process was gone, marked failed, slots freed: {runs}"


def dead_run_sensor() -> dg.SensorDefinition:
    """The same recovery for runs the UI and the daemon launched, every minute."""

    @dg.sensor(
        name="dead_run_recovery",
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Every minute: a run whose worker process is gone (killed, crashed) is marked failed and its "
                    "`duckdb` pool slots are freed, so later writers never wait for a dead run.",
    )
    def dead_run_recovery(context: dg.SensorEvaluationContext):
        recovered = recover_dead_runs(context.instance)
        if recovered:
            context.log.warning(describe_recovered(recovered))
            return dg.SkipReason(describe_recovered(recovered))
        return dg.SkipReason("Every unfinished run's process is alive.")

    return dead_run_recovery


if __name__ == "__main__":
    path = prepare_instance()
    with dg.DagsterInstance.get() as instance:
        recovered = recover_dead_runs(instance)
    if recovered:
        print(describe_recovered(recovered))
    target = storage.target()
    print(f"Dagster instance ready: {path} (pool '{POOL}': {target.writer_slots()} slot(s) for {target.describe()})")
