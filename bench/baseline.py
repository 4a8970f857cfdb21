"""The seeds' way against ours, on the same channels and the same weekly values.

The seeds computed growth in pandas: ``sort_values`` then
``groupby(channel)[col].pct_change(periods=k)`` on weekly rows. On a gapless
weekly series, ``pct_change(1)`` is the change over 7 days and
``pct_change(4)`` over 28 days, which is exactly how fct_growth defines its
``7d`` and ``30d`` periods (Sundays 7 and 28 days apart), so
``growth_pct == 100 * pct_change`` (both exact, up to float rounding). Ours is fct_growth's own compiled
SQL (a full build over every as_of, as pandas covers all of history), run on the same
channels, and the agreement check compares pandas with that SQL's output; it does more (the 90d and 365d periods and the
ranks too), so the ratio is conservative. Neither side's time includes reading
the data from disk into its engine.

For scale, the same work as pandas (7d and 30d only, no ranks) is also timed in
DuckDB as window ``lag``s over the subset's weekly series: it shows how much of
the gap is the engine and how much is what the mart computes beyond pandas.
"""

from __future__ import annotations

import re
import subprocess
import time

import duckdb
import numpy as np
import pyarrow as pa

from bench.config import BenchConfig
from bench.dbt_cli import compiled_sql, dbt_command, dbt_env

METRICS = {"subs": "subscribers", "views": "views", "videos": "videos"}
PERIODS = {1: "7d", 4: "30d"}
SAMPLE_CHANNELS = 200
TOLERANCE_PCT = 1e-9  # relative: both sides are exact doubles, computed in different orders


def _subset(con: duckdb.DuckDBPyConnection, config: BenchConfig) -> None:
    """``bench_subset``: the first N artists with a channel in the raw history (whole set if it is smaller)."""
    con.execute(f"""
        CREATE TEMP TABLE bench_subset AS
        SELECT artist_id, youtube_channel_id AS channel_id
        FROM read_csv('{config.watchlist}', header = true, all_varchar = true)
        WHERE youtube_channel_id IN (SELECT DISTINCT channel_id FROM raw_youniverse.timeseries)
        ORDER BY artist_id LIMIT {int(config.baseline_channels)}
    """)


def pandas_growth(frame):
    """The seeds' computation, timed: 7d and 30d growth of every metric per channel."""
    started = time.perf_counter()
    frame = frame.sort_values(["channel_id", "observed_on"])
    grouped = frame.groupby("channel_id", sort=False)
    for column in METRICS:
        for periods in PERIODS:
            frame[f"{column}_pct_{periods}"] = grouped[column].pct_change(periods=periods)
    return frame, time.perf_counter() - started


def _our_growth_sql(config: BenchConfig) -> str:
    """fct_growth compiled as a full build over every as_of (pandas' work: all of history), reading only the subset.

    The benchmark's build keeps the latest weeks of as_of (URATED_GROWTH_HISTORY_WEEKS); timing
    that against pandas over all of history would flatter us, so the baseline compiles its own.
    """
    env = dbt_env(config) | {"URATED_GROWTH_HISTORY_WEEKS": ""}
    completed = subprocess.run(dbt_command(config, "baseline", ["compile", "--full-refresh", "--select", "fct_growth"]),
                               env=env, capture_output=True, text=True, check=False)
    if completed.returncode:
        raise RuntimeError(f"dbt compile of fct_growth failed:\n{completed.stdout[-3000:]}")
    sql = compiled_sql(config, "baseline", "fct_growth")
    for model in ("fct_metrics", "int_metrics__daily"):
        sql, n = re.subn(rf'(?:"[^"]+"\.)?"[^"]+"\."{model}"', f"bench_{model}", sql)
        if not n:
            raise ValueError(f"compiled fct_growth does not read {model}: cannot restrict it to the subset")
    return sql


# Exactly pandas' work in DuckDB: growth over 1 and 4 weekly rows, kept where they are 7 and 28 days back.
SAME_WORK_SQL = """
    SELECT artist_id, metric, observed_at,
           100.0 * (value / lag(value, 1) OVER s - 1) AS growth_7d,
           lag(observed_at, 1) OVER s = observed_at - 7 AS exact_7d,
           100.0 * (value / lag(value, 4) OVER s - 1) AS growth_30d,
           lag(observed_at, 4) OVER s = observed_at - 28 AS exact_30d
    FROM bench_fct_metrics
    WHERE platform = 'youtube'
    WINDOW s AS (PARTITION BY artist_id, metric ORDER BY observed_at)
"""


def _agreement(con: duckdb.DuckDBPyConnection, frame) -> dict:
    """Compare pandas and the mart on a sample of channels, where the k-row step really is 7k days."""
    sample = frame[frame["channel_id"].isin(frame["channel_id"].drop_duplicates().head(SAMPLE_CHANNELS))].copy()
    grouped = sample.groupby("channel_id", sort=False)
    rows = []
    for periods, period in PERIODS.items():
        # Only where the row k back is exactly k weeks back (a gap would make pct_change span more).
        back = grouped["observed_on"].shift(periods)
        exact = (sample["observed_on"] - back).dt.days == 7 * periods
        for column, metric in METRICS.items():
            pct = sample[f"{column}_pct_{periods}"]
            keep = exact & np.isfinite(pct)
            rows.append(pa.table({
                "channel_id": pa.array(sample.loc[keep, "channel_id"].astype(str).to_numpy()),
                "as_of": pa.array((sample.loc[keep, "observed_on"] - np.timedelta64(1, "D")).dt.date.to_numpy()),
                "metric": pa.array([metric] * int(keep.sum()), pa.string()),
                "period": pa.array([period] * int(keep.sum()), pa.string()),
                "pandas_pct": pa.array(pct[keep].to_numpy(dtype=float) * 100.0),
            }))
    con.register("bench_pandas", pa.concat_tables(rows))
    compared, missing, mismatched, max_diff = con.execute(f"""
        SELECT count(g.growth_pct), count(*) - count(g.growth_pct),
               count(*) FILTER (WHERE abs(g.growth_pct - p.pandas_pct) > {TOLERANCE_PCT} * greatest(1, abs(p.pandas_pct))),
               coalesce(max(abs(g.growth_pct - p.pandas_pct)), 0)
        FROM bench_pandas p
        JOIN bench_subset s USING (channel_id)
        LEFT JOIN bench_ours g
          ON g.artist_id = s.artist_id AND g.platform = 'youtube' AND g.metric = p.metric
         AND g.period = p.period AND g.as_of = p.as_of
    """).fetchall()[0]
    return {"sample_channels": int(sample["channel_id"].nunique()), "rows_compared": compared,
            "rows_missing_in_mart": missing, "rows_mismatched": mismatched, "max_abs_diff_pct": max_diff,
            "agrees": bool(compared > 0 and missing == 0 and mismatched == 0)}


def run_baseline(config: BenchConfig) -> dict:
    """Time pandas and fct_growth's SQL on the same subset; check they agree on a sample."""
    sql = _our_growth_sql(config)  # before connecting: dbt opens the warehouse file itself
    con = config.storage().connect(read_only=True)
    con.execute(f"SET memory_limit = '{config.duckdb_memory_limit}'")
    try:
        _subset(con, config)
        frame = con.sql("""
            SELECT channel_id, observed_on::TIMESTAMP AS observed_on, subs, views, videos
            FROM raw_youniverse.timeseries SEMI JOIN bench_subset USING (channel_id)
        """).to_arrow_table().to_pandas()
        n_rows = len(frame)
        frame, pandas_seconds = pandas_growth(frame)

        for model in ("fct_metrics", "int_metrics__daily"):
            schema = "marts" if model.startswith("fct") else "intermediate"
            con.execute(f"CREATE TEMP TABLE bench_{model} AS SELECT * FROM {schema}.{model} "
                        f"WHERE artist_id IN (SELECT artist_id FROM bench_subset)")
        started = time.perf_counter()
        con.execute(f"CREATE TEMP TABLE bench_ours AS {sql}")
        ours_seconds = time.perf_counter() - started
        our_rows = con.execute("SELECT count(*) FROM bench_ours").fetchall()[0][0]
        started = time.perf_counter()
        con.execute(f"CREATE TEMP TABLE bench_same_work AS {SAME_WORK_SQL}")
        same_work_seconds = time.perf_counter() - started
        agreement = _agreement(con, frame)
        channels = con.execute("SELECT count(*) FROM bench_subset").fetchall()[0][0]
    finally:
        con.close()
    return {
        "channels": channels, "weekly_rows": n_rows,
        "metric_rows": n_rows * len(METRICS),
        "pandas_seconds": round(pandas_seconds, 3), "pandas_version": __import__("pandas").__version__,
        "ours_seconds": round(ours_seconds, 3), "ours_growth_rows": our_rows,
        "speedup": round(pandas_seconds / ours_seconds, 3) if ours_seconds else None,
        "duckdb_same_work_seconds": round(same_work_seconds, 3),
        "duckdb_same_work_speedup": round(pandas_seconds / same_work_seconds, 3) if same_work_seconds else None,
        "agreement": agreement,
        "definition": "7d = pct_change(periods=1), 30d = pct_change(periods=4) on weekly rows; "
                      "growth_pct = 100 * pct_change; compared only where the row k back is 7k days back "
                      "and value_start != 0",
    }
