"""`python -m bench [--quick]`: generate a world, measure every phase, write results.json, print the table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.config import FULL_CHANNELS, FULL_WEEKS, QUICK_CHANNELS, TARGETS, BenchConfig
from bench.report import RESULTS_FILE, build_results, code_measured, markdown, write_results
from bench.runner import PHASES, SHARED_PHASES, run_all


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help=f"small scale ({QUICK_CHANNELS:,} channels) that runs in about a minute")
    parser.add_argument("--channels", type=int, help=f"YouTube channels (default {FULL_CHANNELS:,})")
    parser.add_argument("--weeks", type=int, default=FULL_WEEKS, help="weeks of history (default 520)")
    parser.add_argument("--workdir", default="data/bench", help="where the world and warehouse go")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the pandas baseline")
    parser.add_argument("--phases", nargs="+", choices=PHASES, default=list(PHASES),
                        help="phases to run (default: all, in order)")
    parser.add_argument("--memory-limit", default=BenchConfig.duckdb_memory_limit, help="DuckDB memory_limit for dbt and the baseline")
    parser.add_argument("--baseline-channels", type=int, default=BenchConfig.baseline_channels,
                        help="channels the pandas baseline runs on (all of them if fewer)")
    parser.add_argument("--results", default=str(RESULTS_FILE), help="where results.json goes")
    parser.add_argument("--target", nargs="+", choices=TARGETS, default=list(TARGETS),
                        help="storage targets to measure side by side (default: both)")
    return parser.parse_args(argv)


def duckdb_settings(config: BenchConfig) -> dict:
    """The settings DuckDB actually runs the marts with: the profile's memory limit, the rest its defaults."""
    target = config.storage()
    if not target.exists():
        return {"memory_limit": config.duckdb_memory_limit}
    con = target.connect(read_only=True)
    try:
        con.execute(f"SET memory_limit = '{config.duckdb_memory_limit}'")
        return dict(con.execute("""
            SELECT name, value FROM duckdb_settings()
            WHERE name IN ('threads', 'memory_limit', 'temp_directory', 'max_temp_directory_size')
        """).fetchall())
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    channels = args.channels or (QUICK_CHANNELS if args.quick else FULL_CHANNELS)
    phases = tuple(p for p in args.phases if not (args.skip_baseline and p == "baseline"))
    config = BenchConfig(channels=channels, weeks=args.weeks, workdir=args.workdir,
                         duckdb_memory_limit=args.memory_limit, baseline_channels=args.baseline_channels,
                         skip_baseline=args.skip_baseline)
    path = Path(args.results)
    code_measured()  # before the first phase: the commit the run measures

    runs: dict[str, dict] = {}

    def save(phases_so_far: dict) -> None:
        write_results(build_results(config, {**runs, current: phases_so_far},
                                    {"memory_limit": config.duckdb_memory_limit}), path)

    for position, current in enumerate(args.target):
        # The world is generated and the pandas race run once, with the first target.
        wanted = tuple(p for p in phases if p not in SHARED_PHASES or position == 0)
        runs[current] = run_all(config.for_target(current), wanted, after_phase=save)
    results = build_results(config, runs, duckdb_settings(config.for_target(args.target[0])))
    write_results(results, path)
    print()
    print(markdown(results))
    print(f"\nresults: {path}")
    return 0 if all(p.get("ok") for run in results["targets"].values() for p in run["phases"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
