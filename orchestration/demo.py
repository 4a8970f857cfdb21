"""`make demo`: the main job, end to end against the sandbox.

Starts the sandbox (unless the user already points every service elsewhere),
materializes every asset into the warehouse through the persistent Dagster
instance (so the runs show in `make ui`), prints a short summary and exits
non-zero if any asset or blocking check failed.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from contextlib import ExitStack

import duckdb

from urated import settings, storage, warehouse

SUMMARY_SCHEMAS = ("raw_", "marts")


def configure_sandbox(stack: ExitStack, seed: int, artists: int):
    """Point every service the user has not configured at an in-process sandbox.

    Settings the user exported win: only unset variables are filled in. Returns
    the sandbox's handle, or None when every service was configured already.
    """
    url_vars = [s.url_var for s in settings.SERVICES.values()]
    if all(os.environ.get(v) for v in (*url_vars, settings.YOUNIVERSE_DIR_VAR, settings.WATCHLIST_VAR)):
        return None
    from sandbox.server import start_sandbox
    from sandbox.world import build_world, write_watchlist
    from sandbox.youniverse_files import ensure_youniverse_files

    world = build_world(seed=seed, n_artists=artists)
    handle = stack.enter_context(start_sandbox(world=world))
    for var, value in handle.env().items():  # base URLs, placeholder credentials, pacing off
        os.environ.setdefault(var, value)
    if not os.environ.get(settings.YOUNIVERSE_DIR_VAR):
        os.environ[settings.YOUNIVERSE_DIR_VAR] = str(ensure_youniverse_files(world, settings.DATA_DIR / "youniverse"))
    if not os.environ.get(settings.WATCHLIST_VAR):  # the demo's own watchlist: its world's artists
        os.environ[settings.WATCHLIST_VAR] = str(write_watchlist(world, settings.DATA_DIR / "sandbox_artists.csv"))
    return handle


def materialize_everything(job_name: str | None = None):
    """Run every asset once (or one job's), in dependency order, through the persistent instance.

    A run an earlier, killed demo left STARTED would hold the writers' pool forever:
    it is marked failed (and the user told so in one line) before this run starts.
    """
    from dagster import DagsterInstance

    from orchestration.dbt_project import prepare
    from orchestration.definitions import defs
    from orchestration.instance import describe_recovered, prepare_instance, recover_dead_runs

    prepare_instance()
    prepare()
    definitions = defs()
    job = definitions.resolve_job_def(job_name) if job_name else definitions.resolve_implicit_global_asset_job_def()
    with DagsterInstance.get() as instance:
        recovered = recover_dead_runs(instance)
        if recovered:
            print(describe_recovered(recovered), flush=True)
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
    """Tables, the marts' highlights, the checks, then what failed and why; never a traceback of its own."""
    print_marts()
    passed, failed = check_outcomes(result)
    print(f"\n== Checks == {len(passed)} passed, {len(failed)} failed")
    report = failure_report(result)
    if report:
        print("\n== What failed ==")
        print("\n".join(report))
    print(f"\nWarehouse: {storage.target().describe()}  (analysts: `make sql` opens the published snapshot)")
    print(f"Demo finished in {elapsed:.0f} s")


def print_marts() -> None:
    """Row counts and each highlight whose marts exist; a mart a failed step never built is named instead."""
    try:
        with warehouse.connect(read_only=True) as con:
            counts = warehouse.table_row_counts(con)
            print("\n== Tables ==")
            for table, rows in counts.items():
                schema = table.split(".")[0]
                if schema.startswith(SUMMARY_SCHEMAS) and not schema.endswith("_staging"):  # dlt's merge scratch
                    print(f"  {table:<45} {rows:>12,}")
            for title, tables, show in HIGHLIGHTS:
                missing = [t for t in tables if t not in counts]
                if missing:
                    print(f"\n== {title} == not built ({', '.join(missing)} missing: see what failed)")
                    continue
                try:
                    show(con)
                except duckdb.Error as exc:
                    print(f"\n== {title} == could not be read: {_first_line(str(exc))}")
    except Exception as exc:  # noqa: BLE001 - the summary reports; whatever the storage target raised, it must not crash
        print(f"\n== Tables == the warehouse could not be read: {type(exc).__name__}: {_first_line(str(exc))}")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _top_growers(con) -> None:
    print("\n== Top growers: YouTube subscribers, 30 days to the latest week ==")
    for row in con.execute(TOP_GROWERS_SQL).fetchall():
        print("  #{:<3} {:<28} {:>13,.0f} → {:>13,.0f}  {:+.1f} %".format(*row))


def _anomalies(con) -> None:
    flagged = con.execute(
        "select count(distinct (artist_id, platform, metric, week_at)) from marts.fct_anomalies where is_anomaly"
    ).fetchone()[0]
    print(f"\n== Anomalies: {flagged} flagged artist-metric-weeks; the latest 4 per platform ==")
    for row in con.execute(ANOMALIES_SQL).fetchall():
        print("  {} {:<9} {:<24} {:<16} {}".format(*row))
    for platform, week, accounts in con.execute(PLATFORM_EVENTS_SQL).fetchall():
        print(f"  {week} {platform:<9} platform purge: {accounts} accounts lost followers the same week (not their fraud)")


def _junctions(con) -> None:
    print("\n== Junctions ==")
    for junction, passed, total in con.execute(JUNCTIONS_SQL).fetchall():
        print(f"  {junction:<24} {passed:>5}/{total:<5} passed ({100 * passed / max(total, 1):.1f} %)")


# (title, the tables it reads, how it is shown)
HIGHLIGHTS = (
    ("Top growers", ("marts.fct_growth", "marts.dim_artists"), _top_growers),
    ("Anomalies", ("marts.fct_anomalies", "marts.dim_artists"), _anomalies),
    ("Junctions", ("marts.junction_report",), _junctions),
)
ERROR_LINES = 6  # of each failure's root error
SHOWN_KEYS = 6  # asset names listed before "and N more"


def failure_report(result) -> list[str]:
    """What failed and why, in a few lines: each failed step with the error at its root, the assets
    left unbuilt, and each failed check with its figure. Empty when nothing failed."""
    by_error: dict[str, list[str]] = {}  # one bad watchlist fails every collector alike: say it once
    for event in result.all_events:
        if event.is_step_failure:
            by_error.setdefault(_root_error(event.step_failure_data.error), []).append(event.step_key)
    lines = [f"  step{'s' if len(steps) > 1 else ''} {', '.join(sorted(steps))} failed: {error}"
             for error, steps in by_error.items()]
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    unbuilt = sorted(k.to_user_string() for k in result.job_def.asset_layer.selected_asset_keys - materialized)
    if unbuilt:
        more = f" and {len(unbuilt) - SHOWN_KEYS} more" if len(unbuilt) > SHOWN_KEYS else ""
        lines.append(f"  not materialized ({len(unbuilt)}): {', '.join(unbuilt[:SHOWN_KEYS])}{more}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity.value != "WARN":
            lines.append(f"  check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed"
                         f"{_check_detail(evaluation)}")
    return lines


def _root_error(error) -> str:
    """The innermost error of a chain (the user's, not the frameworks' wrappers), cut to a few lines."""
    while error.cause or error.context:
        error = error.cause or error.context
    # "ingestion.watchlist.WatchlistError: ..." reads as "WatchlistError: ..."
    text = error.message.strip()
    head, sep, rest = text.partition(": ")
    if sep and head.endswith(error.cls_name):
        text = f"{error.cls_name}: {rest}"
    message = [line.strip() for line in text.splitlines() if line.strip()]
    message = message[:ERROR_LINES] + ([f"      … ({len(message) - ERROR_LINES} more lines)"]
                                       if len(message) > ERROR_LINES else [])
    return "\n      ".join(message)


def _check_detail(evaluation) -> str:
    failed_rows = (evaluation.metadata or {}).get("dagster_dbt/failed_row_count")
    detail = f" ({failed_rows.value:,} failing rows)" if failed_rows is not None else ""
    if evaluation.description:
        detail += f": {_first_line(evaluation.description)}"
    return detail


TOP_GROWERS_SQL = """
    select g.growth_rank, a.artist_name, g.value_start, g.value_end, g.growth_pct
    from marts.fct_growth_latest g join marts.dim_artists a using (artist_id)
    where g.platform = 'youtube' and g.metric = 'subscribers' and g.period = '30d'
      and g.as_of = (select max(as_of) from marts.fct_growth_latest where platform = 'youtube' and period = '30d')
      and g.growth_pct is not null
    order by g.growth_rank limit 5
"""
ANOMALIES_SQL = """
    select week_at, platform, artist_name, kind, reason from (
        select f.week_at, f.platform, a.artist_name, f.kind, f.reason,
               row_number() over (partition by f.platform order by f.week_at desc, f.score desc) as latest
        from marts.fct_anomalies f join marts.dim_artists a using (artist_id)
        where f.is_anomaly and f.detector = 'robust_mad'
    ) where latest <= 4
    order by platform, week_at desc
"""
PLATFORM_EVENTS_SQL = """
    select platform, week_at, count(*) from marts.fct_anomalies
    where kind = 'platform_purge' and detector = 'robust_mad' group by all order by all
"""
JUNCTIONS_SQL = """
    select junction, count(*) filter (where passed), count(*)
    from marts.junction_report group by junction order by junction
"""


def stop_on_sigterm(signum, frame) -> None:
    """`kill <pid>` stops the demo like Ctrl-C does (the run is marked failed, not left running)."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("URATED_SANDBOX_SEED", 42)))
    parser.add_argument("--artists", type=int, default=int(os.environ.get("URATED_SANDBOX_ARTISTS", 300)))
    parser.add_argument("--daily-days", type=int, default=int(os.environ.get("URATED_DEMO_DAILY_DAYS", 56)),
                        help="days of daily collection (YouTube, Spotify, Instagram) the sandbox demo accumulates")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with ExitStack() as stack:
        sandbox = configure_sandbox(stack, args.seed, args.artists)
        print(f"Sandbox serving every service at {sandbox.base_url}" if sandbox else "Using the configured services.")
        print(f"Warehouse: {storage.target().describe()}")
        if sandbox and args.daily_days > 1:  # only a service that replays history can be asked about the past
            from orchestration.backfill import collect_past_days, past_days

            history = collect_past_days(past_days(args.daily_days, sandbox.world.today))
            print(f"Daily sources collected for the {history['days']} days before today in {history['seconds']:.0f} s")
        result = materialize_everything()
        sandbox_stats = sandbox.state.stats() if sandbox else None
    print_summary(result, time.monotonic() - started)
    if sandbox_stats:
        requests = ", ".join(f"{name} {count:,}" for name, count in sorted(sandbox_stats["requests"].items()))
        print(f"Sandbox answered: {requests}; YouTube quota units used today: {sandbox_stats['youtube_quota_units']}")
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    _, failed_checks = check_outcomes(result)
    if failed_steps or failed_checks:
        print(f"make demo FAILED: {len(failed_steps)} step(s) and {len(failed_checks)} check(s), "
              "see 'What failed' above", file=sys.stderr)
    if not (failed_steps or failed_checks):
        from api.demo import demo_curl_line  # a ready-to-paste line with a fresh demo key

        print(f"\nAPI: run `make api`, then:\n  {demo_curl_line()}")
    return 0 if result.success and not failed_steps and not failed_checks else 1


if __name__ == "__main__":
    sys.exit(main())
