"""What the Dagster UI shows for a mart after each build: a preview and, where it helps, figures it plots.

Marts store growth exact; these are displays, so percentages are rounded here (4 decimals).

Dagster plots every numeric metadata value across materializations, so the
growth and anomaly figures below become time series in the asset's *Plots* tab.
"""

from __future__ import annotations

import duckdb

PREVIEW_ROWS = 10

# Marts whose most useful preview is not their first rows.
PREVIEW_SQL = {
    "marts.fct_growth": """
        select artist_id, platform, metric, period, as_of, value_start, value_end,
               round(growth_pct, 4) as growth_pct
        from marts.fct_growth
        where period = '7d' and as_of = (select max(as_of) from marts.fct_growth where period = '7d')
        order by growth_pct desc nulls last, platform, metric, artist_id limit {limit}""",
    "marts.fct_anomalies": """
        select artist_id, platform, metric, week_at, detector, round(score, 3) as score, reason
        from marts.fct_anomalies where is_anomaly order by week_at desc, score desc limit {limit}""",
    "marts.junction_report": """
        select junction, artist_id, gap_days, passed, reason
        from marts.junction_report order by passed, junction, artist_id limit {limit}""",
}

# Figures worth following over time, one row of named numbers per mart.
FIGURES_SQL = {
    "marts.fct_growth": """
        with latest as (
            select * from marts.fct_growth
            where platform = 'youtube' and metric = 'subscribers' and period = '7d'
              and as_of = (select max(as_of) from marts.fct_growth where platform = 'youtube' and period = '7d')
        )
        select round(median(growth_pct), 4) as median_7d_subscriber_growth_pct,
               round(max(growth_pct), 4) as top_7d_subscriber_growth_pct
        from latest""",
    "marts.fct_anomalies": """
        select count(distinct (artist_id, platform, metric, week_at)) filter (where is_anomaly) as flagged_artist_weeks,
               count(distinct artist_id) filter (
                   where is_anomaly and week_at = (select max(week_at) from marts.fct_anomalies)
               ) as artists_flagged_latest_week
        from marts.fct_anomalies""",
    "marts.junction_report": """
        select round(100.0 * count(*) filter (where passed) / nullif(count(*), 0), 2) as junction_pass_rate_pct
        from marts.junction_report""",
}


def markdown_table(cursor: duckdb.DuckDBPyConnection) -> str:
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def preview(con: duckdb.DuckDBPyConnection, table: str) -> str:
    sql = PREVIEW_SQL.get(table, f"select * from {table} limit {{limit}}").format(limit=PREVIEW_ROWS)
    return markdown_table(con.execute(sql))


def figures(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, float]:
    if table not in FIGURES_SQL:
        return {}
    cursor = con.execute(FIGURES_SQL[table])
    names = [d[0] for d in cursor.description]
    return {n: float(v) for n, v in zip(names, cursor.fetchone()) if v is not None}
