"""The race with pandas: the rows of ``marts.fct_growth``, computed by pandas and by our dbt model.

Equal work on both sides, on the same channels:

- the input is the same weekly (and daily) points: ``fct_metrics`` and ``int_metrics__daily``
  of the first ``baseline_channels`` artists, copied from the benchmark's warehouse into a
  warehouse of the race's own (``<workdir>/race/race.duckdb``), and into a pandas frame;
  neither side's time includes getting them into its engine;
- the output is every row and column ``fct_growth`` holds: every period of
  :data:`PERIODS`, ``abs_change``, ``growth_pct`` with the registry's rounding rule, lineage
  and quality, over the same as_of dates (the benchmark's ``growth_history_weeks`` horizon on
  both sides). fct_growth is stored unranked (the rank is read from fct_growth_ranked or
  fct_growth_latest), so neither side ranks;
- ours is the dbt model itself (``dbt run -s fct_growth`` against the race's warehouse), timed
  as dbt reports the model (``execution_time``: compiling it, its introspective queries, its
  SQL and dbt's bookkeeping) and as the warehouse's time on its statements alone;
- the two outputs are compared on every row: the pandas frame is loaded into DuckDB and
  ``EXCEPT ALL`` is taken both ways on every column; any row on one side only is a mismatch.

Timed twice against pandas recomputing everything (what a pandas user must do after a new week):

- full recompute: ``dbt run --full-refresh -s fct_growth`` over the history with the new week;
- weekly update: the same history without the new week built first, then the week appended
  and ``dbt run -s fct_growth`` (incremental). Its result is also compared with the full
  recompute's, row for row (incremental equals full refresh).

The pandas side restates fct_growth's definition (fct_growth.sql says it in its comments);
the row-for-row comparison is what proves the two agree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from bench.config import BenchConfig
from bench.dbt_cli import dbt_command, dbt_env, node_timings
from urated import sources, storage

# fct_growth's periods: name, grain of the series, days between the window's ends.
PERIODS = (("1d", "daily", 1), ("7d", "weekly", 7), ("30d", "weekly", 28), ("90d", "weekly", 91),
           ("365d", "weekly", 364))
# Days between two consecutive points of a gapless series of each grain.
STEP_DAYS = {"daily": 1, "weekly": 7}
# fct_growth's columns, in its order: what both sides must produce.
COLUMNS = ("artist_id", "platform", "metric", "period", "as_of", "start_at", "value_start", "value_end",
           "abs_change", "growth_pct", "is_within_rounding", "is_interpolated", "source_start",
           "source_end", "quality_end", "loaded_at")
# The points fct_growth reads, as both sides get them.
POINT_COLUMNS = "artist_id, platform, metric, observed_at, value, source, is_interpolated, loaded_at, quality"
MODEL = "fct_growth"


# -- pandas ---------------------------------------------------------------------------------------

def _rounded_since(source_codes: pd.Index, metric_codes: pd.Index, registry) -> np.ndarray:
    """Per (source, metric) code: the first day (days since epoch) it is published rounded, or never."""
    never = np.iinfo(np.int64).max
    since = np.full((len(source_codes) + 1, len(metric_codes) + 1), never, dtype=np.int64)
    for entry in registry:
        if not entry.rounded_metrics or entry.source not in source_codes:
            continue
        day = (np.datetime64(entry.rounded_since, "D") - np.datetime64(0, "D")).astype(np.int64)
        for metric in entry.rounded_metrics:
            if metric in metric_codes:
                since[source_codes.get_loc(entry.source), metric_codes.get_loc(metric)] = day
    return since


def _codes(labels: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their labels (a categorical's own; else factorized). Missing labels get a code too."""
    if isinstance(labels.dtype, pd.CategoricalDtype) and not labels.isna().any():
        return labels.cat.codes.to_numpy(), labels.cat.categories
    return pd.factorize(labels, use_na_sentinel=False)


def growth_frame(points: pd.DataFrame, history_weeks: int | None, registry=None) -> pd.DataFrame:
    """fct_growth's rows from its input points, in pandas (numpy underneath, as a pandas user would).

    ``points``: grain ('weekly' or 'daily'), artist_id, platform, metric, observed_at, value,
    source, is_interpolated, loaded_at, quality; one row per grain, series and day.
    """
    registry = sources.sources() if registry is None else registry
    grain, grains = _codes(points["grain"])
    artist, artists = _codes(points["artist_id"])
    platform, platforms = _codes(points["platform"])
    metric, metrics = _codes(points["metric"])
    source, source_names = _codes(points["source"])
    quality, qualities = _codes(points["quality"])
    day = points["observed_at"].to_numpy().astype("datetime64[D]").astype(np.int64)
    value = points["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    interpolated = points["is_interpolated"].to_numpy(dtype=bool)
    loaded_at = points["loaded_at"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()  # numpy's datetime64

    weekly = grain == (grains.get_loc("weekly") if "weekly" in grains else -1)
    # growth_history_start: as_of dates from that many weeks before the newest weekly point.
    first_as_of = (day[weekly].max() - 7 * history_weeks) if history_weeks and weekly.any() else day.min(initial=0)
    # Only points that can be either end of a kept window are read (fct_growth's reads_from).
    keep = np.flatnonzero(day >= first_as_of - max(days for _, _, days in PERIODS))
    grain, artist, platform, metric, source, quality, day, value, interpolated, loaded_at = (
        a[keep] for a in (grain, artist, platform, metric, source, quality, day, value, interpolated, loaded_at))

    # One sorted key per point: its series (grain, artist, platform, metric), then its day.
    series = ((grain.astype(np.int64) * len(artists) + artist) * len(platforms) + platform) * len(metrics) + metric
    day_base = day.min(initial=0)
    key = series * (1 << 21) + (day - day_base)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    sorted_day = day[order]
    sorted_grain = grain[order]

    ends, starts, period_of = [], [], []
    for position, (period, period_grain, days) in enumerate(PERIODS):
        if period_grain not in grains:
            continue
        end = np.flatnonzero((sorted_grain == grains.get_loc(period_grain)) & (sorted_day >= first_as_of))
        wanted = sorted_key[end] - days  # the same series, `days` earlier
        # In a gapless series the start is `days / step` points back; elsewhere, look it up.
        guess = end - days // STEP_DAYS[period_grain]
        hit = (guess >= 0) & (sorted_key[np.maximum(guess, 0)] == wanted)
        start = np.where(hit, guess, -1)
        missed = np.flatnonzero(~hit)
        found = np.searchsorted(sorted_key, wanted[missed])
        exact = (found < len(sorted_key)) & (sorted_key[np.minimum(found, len(sorted_key) - 1)] == wanted[missed])
        start[missed[exact]] = found[exact]
        has_start = start >= 0
        ends.append(order[end[has_start]])
        starts.append(order[start[has_start]])
        period_of.append(np.full(int(has_start.sum()), position, dtype=np.int8))
    end = np.concatenate(ends) if ends else np.empty(0, dtype=np.int64)
    start = np.concatenate(starts) if starts else np.empty(0, dtype=np.int64)
    period_code = np.concatenate(period_of) if period_of else np.empty(0, dtype=np.int8)

    value_start, value_end = value[start], value[end]
    start_day, end_day = day[start], day[end]
    since = _rounded_since(source_names, metrics, registry)
    rounded = (start_day >= since[source[start], metric[end]]) | (end_day >= since[source[end], metric[end]])
    raw_change = value_end - value_start
    with np.errstate(divide="ignore", invalid="ignore"):
        larger = np.fmax(np.abs(value_start), np.abs(value_end))
        step = np.where(rounded & (larger >= 1000), np.power(10.0, np.floor(np.log10(larger)) - 2), 0.0)
        within = np.abs(raw_change) <= step
        abs_change = np.where(within, 0.0, raw_change)
        growth_pct = np.where(np.isnan(value_start) | (value_start == 0), np.nan,
                              np.where(within, 0.0, 100.0 * raw_change / value_start))

    period_names = pd.Index([p for p, _, _ in PERIODS])
    return pd.DataFrame({
        "artist_id": pd.Categorical.from_codes(artist[end], artists),
        "platform": pd.Categorical.from_codes(platform[end], platforms),
        "metric": pd.Categorical.from_codes(metric[end], metrics),
        "period": pd.Categorical.from_codes(period_code, period_names),
        "as_of": end_day.astype("datetime64[D]").astype("datetime64[s]"),
        "start_at": start_day.astype("datetime64[D]").astype("datetime64[s]"),
        "value_start": value_start,
        "value_end": value_end,
        "abs_change": abs_change,
        "growth_pct": growth_pct,
        "is_within_rounding": within & (raw_change != 0),
        "is_interpolated": interpolated[start] | interpolated[end],
        "source_start": pd.Categorical.from_codes(source[start], source_names),
        "source_end": pd.Categorical.from_codes(source[end], source_names),
        "quality_end": pd.Categorical.from_codes(quality[end], qualities),
        "loaded_at": pd.Series(np.maximum(loaded_at[start], loaded_at[end])).dt.tz_localize("UTC"),
    }, columns=list(COLUMNS))


def pandas_growth(points: pd.DataFrame, history_weeks: int | None) -> tuple[pd.DataFrame, float]:
    """:func:`growth_frame`, timed: the seconds from the points in memory to the finished frame."""
    started = time.perf_counter()
    frame = growth_frame(points, history_weeks)
    return frame, time.perf_counter() - started


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """The pandas result in fct_growth's types (dates, nulls for NaN), for DuckDB to compare."""
    epoch_days = {name: pa.array(frame[name].to_numpy().astype("datetime64[D]")) for name in ("as_of", "start_at")}
    columns = {}
    for name in COLUMNS:
        if name in epoch_days:
            columns[name] = epoch_days[name]
        elif isinstance(frame[name].dtype, pd.CategoricalDtype):
            columns[name] = pa.array(frame[name].astype(object).to_numpy(), pa.string(), from_pandas=True)
        else:
            columns[name] = pa.array(frame[name], from_pandas=True)
    return pa.table(columns)


# -- the race's warehouse -------------------------------------------------------------------------

def _race_target(config: BenchConfig) -> storage.Target:
    return storage.parse_target(str(config.root / "race" / "race.duckdb"))


def _bench_warehouse(config: BenchConfig) -> duckdb.DuckDBPyConnection:
    """The benchmark's warehouse, read-only, in an engine where the race's warehouse can be attached to write."""
    target = config.storage()
    if target.kind == "file":  # a read-only connection to the file could attach nothing writable
        con = duckdb.connect(config={"memory_limit": config.duckdb_memory_limit})
        con.execute(f"ATTACH '{target.path}' AS {storage.CATALOG} (READ_ONLY)")
        con.execute(f"USE {storage.CATALOG}")
        return con
    con = target.connect(read_only=True)
    con.execute(f"SET memory_limit = '{config.duckdb_memory_limit}'")
    return con


def _copy_subset(config: BenchConfig, race: Path) -> dict:
    """The race's warehouse: the subset's points as they were before the new week, and the week apart.

    The new week is the newest load (the incremental phase's append): its rows are held back
    until the weekly update. ``int_metrics__source_spans`` stands in with the one thing
    fct_growth reads of it, each artist's newest weekly point (where its as_of horizon ends).
    """
    shutil.rmtree(race.parent, ignore_errors=True)
    race.parent.mkdir(parents=True)
    con = _bench_warehouse(config)
    try:
        con.execute(f"ATTACH '{race}' AS race")
        con.execute(f"""
            CREATE TEMP TABLE subset AS
            SELECT artist_id, youtube_channel_id AS channel_id
            FROM read_csv('{config.watchlist}', header = true, all_varchar = true)
            WHERE youtube_channel_id IN (SELECT DISTINCT channel_id FROM raw_youniverse.timeseries)
            ORDER BY artist_id LIMIT {int(config.baseline_channels)}
        """)
        con.execute("""
            CREATE TEMP TABLE weekly AS SELECT * FROM marts.fct_metrics SEMI JOIN subset USING (artist_id);
            CREATE TEMP TABLE daily AS SELECT * FROM intermediate.int_metrics__daily SEMI JOIN subset USING (artist_id);
        """)
        newest_load = con.execute("SELECT max(loaded_at) FROM weekly").fetchone()[0]
        con.execute("CREATE SCHEMA race.marts; CREATE SCHEMA race.intermediate")
        for schema, name, rows in (("marts", "fct_metrics", "weekly"), ("intermediate", "int_metrics__daily", "daily")):
            con.execute(f"CREATE TABLE race.{schema}.{name} AS SELECT * FROM {rows} WHERE loaded_at < $1", [newest_load])
            con.execute(f"CREATE TABLE race.main.new_{rows} AS SELECT * FROM {rows} WHERE loaded_at >= $1", [newest_load])
        counts = con.execute("""
            SELECT (SELECT count(*) FROM subset), (SELECT count(*) FROM weekly), (SELECT count(*) FROM daily),
                   (SELECT count(*) FROM race.main.new_weekly), (SELECT count(*) FROM race.main.new_daily),
                   (SELECT list(DISTINCT observed_at ORDER BY observed_at)
                    FROM race.main.new_weekly WHERE NOT is_interpolated)
        """).fetchone()
    finally:
        con.close()
    with duckdb.connect(str(race)) as race_con:
        _refresh_spans(race_con)
    channels, weekly_rows, daily_rows, new_weekly, new_daily, new_days = counts
    if not new_weekly:
        raise RuntimeError("the race found no new week in fct_metrics: run the incremental phase first")
    return {"channels": channels, "weekly_points": weekly_rows, "daily_points": daily_rows,
            "new_week_points": new_weekly + new_daily, "new_week": [str(d) for d in new_days]}


def _refresh_spans(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE OR REPLACE TABLE intermediate.int_metrics__source_spans AS
        SELECT artist_id, max(observed_at) AS last_week_at
        FROM marts.fct_metrics WHERE NOT is_interpolated GROUP BY artist_id
    """)


def _append_new_week(race: Path) -> None:
    with duckdb.connect(str(race)) as con:
        con.execute("INSERT INTO marts.fct_metrics SELECT * FROM main.new_weekly")
        con.execute("INSERT INTO intermediate.int_metrics__daily SELECT * FROM main.new_daily")
        _refresh_spans(con)


def _run_model(config: BenchConfig, step: str, full_refresh: bool) -> dict:
    """``dbt run -s fct_growth`` on the race's warehouse: dbt's time for the model, its SQL's, the process's."""
    target = _race_target(config)
    args = ["run", "--select", MODEL] + (["--full-refresh"] if full_refresh else [])
    command = dbt_command(config, step, args, warehouse=target)
    env = dbt_env(config) | {"URATED_WAREHOUSE": str(target.path)}
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if completed.returncode:
        raise RuntimeError(f"dbt run of {MODEL} ({step}) failed:\n{completed.stdout[-3000:]}")
    (node,) = [n for n in node_timings(config, step) if n["node"] == MODEL]
    return {"model_seconds": node["seconds"], "sql_seconds": node.get("own_sql_seconds"),
            "dbt_wall_seconds": round(wall, 3)}


def _points(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """fct_growth's input as a pandas user would hold it: labels as categoricals, days as datetime64."""
    table = con.sql(f"""
        SELECT 'weekly' AS grain, {POINT_COLUMNS} FROM marts.fct_metrics
        UNION ALL
        SELECT 'daily' AS grain, {POINT_COLUMNS.replace('is_interpolated', 'false AS is_interpolated')}
        FROM intermediate.int_metrics__daily
    """).to_arrow_table()
    for name in ("grain", "artist_id", "platform", "metric", "source", "quality"):
        position = table.schema.get_field_index(name)
        table = table.set_column(position, name, table[name].dictionary_encode())
    return table.to_pandas(date_as_object=False)


def _except_both_ways(con: duckdb.DuckDBPyConnection, left: str, right: str, columns: list[str]) -> tuple[int, int]:
    """Rows of ``left`` not in ``right`` and of ``right`` not in ``left``, counting duplicates (EXCEPT ALL)."""
    listed = ", ".join(columns)
    return con.execute(f"""
        SELECT (SELECT count(*) FROM (SELECT {listed} FROM {left} EXCEPT ALL SELECT {listed} FROM {right})),
               (SELECT count(*) FROM (SELECT {listed} FROM {right} EXCEPT ALL SELECT {listed} FROM {left}))
    """).fetchone()


def _compare(race: Path, frame: pd.DataFrame) -> dict:
    """The pandas rows against fct_growth's full recompute, and the weekly update against it, on every row."""
    with duckdb.connect(str(race)) as con:
        ours = [r[0] for r in con.execute(f"DESCRIBE marts.{MODEL}").fetchall()]
        shared = [c for c in COLUMNS if c in ours]
        con.register("pandas_arrow", to_arrow(frame))
        types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE marts.{MODEL})").fetchall())
        con.execute("CREATE TEMP TABLE pandas_growth AS SELECT "
                    + ", ".join(f"CAST({c} AS {types[c]}) AS {c}" for c in shared) + " FROM pandas_arrow")
        only_pandas, only_ours = _except_both_ways(con, "pandas_growth", f"marts.{MODEL}", shared)
        # The weekly update is compared on the full recompute's as_of dates; rows it keeps from
        # before the horizon (which the full recompute drops) are counted apart.
        first_as_of = con.execute(f"SELECT min(as_of) FROM marts.{MODEL}").fetchone()[0]
        con.execute("CREATE TEMP TABLE updated AS SELECT * FROM main.growth_after_weekly_update WHERE as_of >= $1",
                    [first_as_of])
        before_horizon = con.execute("SELECT count(*) FROM main.growth_after_weekly_update WHERE as_of < $1",
                                     [first_as_of]).fetchone()[0]
        only_incremental, only_full = _except_both_ways(con, "updated", f"marts.{MODEL}", ours)
        our_rows = con.execute(f"SELECT count(*) FROM marts.{MODEL}").fetchone()[0]
        as_of = con.execute(f"SELECT min(as_of), max(as_of), count(DISTINCT as_of) FROM marts.{MODEL}").fetchone()
        periods = [r[0] for r in con.execute(f"SELECT DISTINCT period FROM marts.{MODEL} ORDER BY 1").fetchall()]
    return {
        "pandas_rows": len(frame), "ours_rows": our_rows,
        "as_of_first": str(as_of[0]), "as_of_last": str(as_of[1]), "as_of_dates": as_of[2], "periods": periods,
        "equality": equality(ours, len(frame), our_rows, only_pandas, only_ours),
        "incremental_equals_full": incremental_equality(only_incremental, only_full, before_horizon),
    }


def equality(our_columns: list[str], pandas_rows: int, our_rows: int, only_pandas: int, only_ours: int) -> dict:
    """The verdict on pandas against ours: equal only with the same columns and no row on one side only."""
    missing = sorted(set(COLUMNS) - set(our_columns))
    extra = sorted(set(our_columns) - set(COLUMNS))
    mismatches = only_pandas + only_ours
    return {"columns": [c for c in COLUMNS if c in our_columns], "columns_missing_in_ours": missing,
            "columns_only_in_ours": extra, "rows_only_in_pandas": only_pandas, "rows_only_in_ours": only_ours,
            "mismatches": mismatches,
            "equal": mismatches == 0 and not missing and not extra and our_rows == pandas_rows}


def incremental_equality(only_incremental: int, only_full: int, kept_before_horizon: int) -> dict:
    """The weekly update against the full recompute on the latter's as_of dates; equal only if it kept no older as_of."""
    return {"rows_only_in_incremental": only_incremental, "rows_only_in_full": only_full,
            "equal": only_incremental == 0 and only_full == 0 and kept_before_horizon == 0,
            "rows_kept_before_horizon": kept_before_horizon}


def _ratio(pandas_seconds: float, ours: float | None) -> float | None:
    return round(pandas_seconds / ours, 3) if ours else None


def run_baseline(config: BenchConfig) -> dict:
    """The race: build, update and rebuild fct_growth on the subset with dbt; pandas once; compare every row."""
    race = _race_target(config).path
    subset = _copy_subset(config, race)
    _run_model(config, "race_history", full_refresh=True)       # fct_growth as it was before the week
    _append_new_week(race)
    weekly = _run_model(config, "race_weekly", full_refresh=False)  # the weekly update
    with duckdb.connect(str(race)) as con:
        con.execute(f"CREATE TABLE main.growth_after_weekly_update AS SELECT * FROM marts.{MODEL}")
    full = _run_model(config, "race_full", full_refresh=True)     # the full recompute, with the week

    with duckdb.connect(str(race), read_only=True) as con:
        points = _points(con)
    frame, pandas_seconds = pandas_growth(points, config.growth_history_weeks)
    return race_result(config, {**subset, "input_points": len(points)}, _compare(race, frame), pandas_seconds,
                       full, weekly)


def race_result(config: BenchConfig, subset: dict, compared: dict, pandas_seconds: float, full: dict,
                weekly: dict) -> dict:
    """The race's figures: what was compared and how, both sides' times, and the two ratios on equal work."""
    return {
        **subset, **compared,
        "growth_history_weeks": config.growth_history_weeks,
        "pandas_seconds": round(pandas_seconds, 3), "pandas_version": pd.__version__,
        "full": full, "weekly": weekly,
        "full_speedup": _ratio(pandas_seconds, full["model_seconds"]),
        "weekly_speedup": _ratio(pandas_seconds, weekly["model_seconds"]),
        "full_speedup_sql_only": _ratio(pandas_seconds, full["sql_seconds"]),
        "weekly_speedup_sql_only": _ratio(pandas_seconds, weekly["sql_seconds"]),
        "definition": "pandas recomputes every fct_growth row and column from the points in memory; ours is dbt's "
                      "time for the model (execution_time; sql_only: its own statements in the warehouse); "
                      "speedup = pandas seconds / ours",
    }


if __name__ == "__main__":  # a rerun of the race on an existing benchmark workdir
    import sys

    print(json.dumps(run_baseline(BenchConfig.from_json(sys.argv[1])), indent=2, default=str))
