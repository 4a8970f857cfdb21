"""`make demo`: the main job, end to end against the sandbox.

Starts the sandbox (unless the user already points every service elsewhere),
materializes every asset into the warehouse through the persistent Dagster
instance (so the runs show in `make ui`), prints a short summary and exits
non-zero if any asset or blocking check failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import ExitStack

from urated import settings, warehouse

SUMMARY_SCHEMAS = ("raw_", "marts")


def configure_sandbox(stack: ExitStack, seed: int, artists: int):
    """Point every service the user has not configured at an in-process sandbox.

    Settings the user exported win: only unset variables are filled in. Returns
    the sandbox's handle, or None when every service was configured already.
    """
    url_vars = [s.url_var for s in settings.SERVICES.values()]
    if all(os.environ.get(v) for v in url_vars) and os.environ.get(settings.YOUNIVERSE_DIR_VAR):
        return None
    from sandbox.server import start_sandbox
    from sandbox.world import build_world
    from sandbox.youniverse_files import ensure_youniverse_files

    world = build_world(seed=seed, n_artists=artists)
    handle = stack.enter_context(start_sandbox(world=world))
    for var, value in handle.env().items():
        os.environ.setdefault(var, value)
    if not os.environ.get(settings.YOUNIVERSE_DIR_VAR):
        os.environ[settings.YOUNIVERSE_DIR_VAR] = str(ensure_youniverse_files(world, settings.DATA_DIR / "youniverse"))
    return handle


def materialize_everything():
    """Run every asset once, in dependency order, through the persistent instance."""
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.instance import prepare_instance

    prepare_instance()
    definitions = defs()
    job = definitions.resolve_implicit_global_asset_job_def()
    with DagsterInstance.get() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


def check_outcomes(result) -> tuple[list[str], list[str]]:
    """Names of passed and failed asset checks (failures of severity WARN count as passed-with-warning)."""
    passed, failed = [], []
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.passed:
            passed.append(name)
        elif evaluation.severity.value == "WARN":
            passed.append(name + " (warning)")
        else:
            failed.append(name)
    return passed, failed


def print_summary(result, elapsed: float) -> None:
    with warehouse.connect(read_only=True) as con:
        counts = warehouse.table_row_counts(con)
        print("\n== Tables ==")
        for table, rows in counts.items():
            schema = table.split(".")[0]
            if schema.startswith(SUMMARY_SCHEMAS) and not schema.endswith("_staging"):  # dlt's merge scratch
                print(f"  {table:<45} {rows:>12,}")
        print("\n== Top growers: YouTube subscribers, 30 days to the latest week ==")
        for row in con.execute(TOP_GROWERS_SQL).fetchall():
            print("  #{:<3} {:<28} {:>13,.0f} → {:>13,.0f}  {:+.1f} %".format(*row))
        if "marts.fct_anomalies" in counts:
            flagged = con.execute(
                "select count(distinct (artist_id, platform, metric, week_at)) from marts.fct_anomalies where is_anomaly"
            ).fetchone()[0]
            print(f"\n== Anomalies: {flagged} flagged artist-metric-weeks; the latest 10 ==")
            for row in con.execute(ANOMALIES_SQL).fetchall():
                print("  {} {:<28} {:<9} {}".format(*row))
        if "marts.junction_report" in counts:
            print("\n== Junctions ==")
            for junction, passed, total in con.execute(JUNCTIONS_SQL).fetchall():
                print(f"  {junction:<24} {passed:>5}/{total:<5} passed ({100 * passed / max(total, 1):.1f} %)")
    passed, failed = check_outcomes(result)
    print(f"\n== Checks == {len(passed)} passed, {len(failed)} failed")
    for name in failed:
        print(f"  FAILED {name}")
    print(f"\nWarehouse: {settings.warehouse_path()}  (analysts: open {settings.reader_copy_path()})")
    print(f"Demo finished in {elapsed:.0f} s")


TOP_GROWERS_SQL = """
    select g.growth_rank, a.artist_name, g.value_start, g.value_end, g.growth_pct
    from marts.fct_growth g join marts.dim_artists a using (artist_id)
    where g.platform = 'youtube' and g.metric = 'subscribers' and g.period = '30d'
      and g.as_of = (select max(as_of) from marts.fct_growth where platform = 'youtube' and period = '30d')
      and g.growth_pct is not null
    order by g.growth_rank limit 5
"""
ANOMALIES_SQL = """
    select f.week_at, a.artist_name, f.metric, arg_max(f.reason, f.score)
    from marts.fct_anomalies f join marts.dim_artists a using (artist_id)
    where f.is_anomaly
    group by f.week_at, a.artist_name, f.metric
    order by f.week_at desc, max(f.score) desc limit 10
"""
JUNCTIONS_SQL = """
    select junction, count(*) filter (where passed), count(*)
    from marts.junction_report group by junction order by junction
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("URATED_SANDBOX_SEED", 42)))
    parser.add_argument("--artists", type=int, default=int(os.environ.get("URATED_SANDBOX_ARTISTS", 300)))
    args = parser.parse_args(argv)
    started = time.monotonic()
    with ExitStack() as stack:
        sandbox = configure_sandbox(stack, args.seed, args.artists)
        print(f"Sandbox serving every service at {sandbox.base_url}" if sandbox else "Using the configured services.")
        print(f"Warehouse: {settings.warehouse_path()}")
        result = materialize_everything()
        sandbox_stats = sandbox.state.stats() if sandbox else None
    failed_steps = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    print_summary(result, time.monotonic() - started)
    if sandbox_stats:
        requests = ", ".join(f"{name} {count:,}" for name, count in sorted(sandbox_stats["requests"].items()))
        print(f"Sandbox answered: {requests}; YouTube quota units used today: {sandbox_stats['youtube_quota_units']}")
    _, failed_checks = check_outcomes(result)
    if failed_steps:
        print(f"FAILED steps: {', '.join(failed_steps)}", file=sys.stderr)
    from api.demo import demo_curl_line

    print(f"\nAPI: run `make api`, then:\n  {demo_curl_line()}")
    return 0 if result.success and not failed_steps and not failed_checks else 1


if __name__ == "__main__":
    sys.exit(main())
