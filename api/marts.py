"""Every SQL statement the API runs, each a read of ``marts.*`` with bound parameters.

No user text is ever part of a statement: filters append fixed fragments chosen
from enums (column names from ``api.vocabulary``) and pass values as parameters.
Nothing here computes a metric: values, changes, percentages and ranks are the
marts' (``rank()`` in :func:`top_growers` only numbers the rows this query keeps),
``round()`` only shortens growth_pct for display.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from api.cursors import CursorError
from api.schemas import GROWTH_PCT_DECIMALS
from api.snapshots import Lease
from api.vocabulary import PERIOD_ORDER, PLATFORM_ID_COLUMN, PLATFORM_STATUS_COLUMN, GrowthOrder, Platform, Status, TopBy

ARTIST_COLUMNS = (
    "artist_id", "artist_name", "youtube_channel_id", "spotify_artist_id", "instagram_username", "country",
    "category", "status", "youtube_status", "spotify_status", "instagram_status", "is_watchlisted",
    "first_seen_at", "last_seen_at",
)
POINT_COLUMNS = "platform, metric, observed_at, value, source, is_interpolated, quality"
GROWTH_COLUMNS = (
    "g.platform, g.metric, g.period, g.as_of, g.start_at, g.value_start, g.value_end, g.abs_change, "
    f"round(g.growth_pct, {GROWTH_PCT_DECIMALS}) as growth_pct, g.growth_rank, g.is_within_rounding, "
    "g.is_interpolated, g.source_start, g.source_end, g.quality_end"
)
# Sort keys as one ascending number, so (key, artist_id) pages with a row comparison;
# growth from 0 (null growth_pct) sorts last either way.
GROWTH_SORT_KEY = {
    GrowthOrder.pct_desc: "-coalesce(g.growth_pct, '-infinity'::double)",
    GrowthOrder.pct_asc: "coalesce(g.growth_pct, 'infinity'::double)",
    GrowthOrder.abs_desc: "-coalesce(g.abs_change::double, '-infinity'::double)",
    GrowthOrder.abs_asc: "coalesce(g.abs_change::double, 'infinity'::double)",
}
TOP_ORDER = {TopBy.pct: "g.growth_pct", TopBy.abs: "g.abs_change"}
# The leaderboard (marts.fct_growth_leaders) whose order a top list follows.
TOP_LEADERS = {TopBy.pct: GrowthOrder.pct_desc, TopBy.abs: GrowthOrder.abs_desc}
# A top list's rank, taken over the rows it keeps (their sort_value); ties share a rank.
TOP_RANK = "cast(rank() over (order by sort_value desc) as integer) as rank"


class Where:
    """A conjunction of fixed SQL fragments and the values bound to their ``?``."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> "Where":
        self.clauses.append(clause)
        self.params.extend(params)
        return self

    def add_if(self, value: Any, clause: str) -> "Where":
        """``clause`` with ``value`` bound, unless value is None (no filter)."""
        if value is not None:
            self.add(clause, getattr(value, "value", value))
        return self

    def extend(self, other: "Where") -> "Where":
        """This conjunction and ``other``'s."""
        self.clauses += other.clauses
        self.params += other.params
        return self

    def sql(self) -> str:
        return " and ".join(self.clauses) or "true"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    result = con.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def _text(position: dict[str, Any], name: str) -> str:
    value = position.get(name)
    if not isinstance(value, str):
        raise CursorError("not a cursor issued by this API: pass `next_cursor` from the previous page unchanged")
    return value


def _number(position: dict[str, Any], name: str) -> float:
    value = position.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CursorError("not a cursor issued by this API: pass `next_cursor` from the previous page unchanged")
    return float(value)


def cursor_day(position: dict[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(_text(position, name))
    except ValueError:
        raise CursorError("not a cursor issued by this API: pass `next_cursor` from the previous page unchanged") from None


# -- artists ----------------------------------------------------------------------------------

def artist(con: duckdb.DuckDBPyConnection, artist_id: str) -> dict[str, Any] | None:
    rows = _rows(con, f"select {', '.join(ARTIST_COLUMNS)} from marts.dim_artists where artist_id = ?", [artist_id])
    return rows[0] if rows else None


def artists(con: duckdb.DuckDBPyConnection, q: str | None, platform: Platform | None, status: Status | None,
            limit: int, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One page (``limit`` + 1 rows, to tell whether another follows) of dim_artists in artist_id order."""
    where = Where()
    if q is not None:
        where.add("(contains(lower(artist_name), lower(?)) or ? in (artist_id, youtube_channel_id, "
                  "spotify_artist_id, instagram_username))", q, q)
    if platform is not None:
        where.add(f"{PLATFORM_ID_COLUMN[platform]} is not null")
    if status is not None:
        where.add(f"{PLATFORM_STATUS_COLUMN[platform] if platform else 'status'} = ?", status.value)
    if after is not None:
        where.add("artist_id > ?", _text(after, "artist_id"))
    return _rows(con, f"select {', '.join(ARTIST_COLUMNS)} from marts.dim_artists where {where.sql()} "
                      "order by artist_id limit ?", [*where.params, limit + 1])


# -- metrics ----------------------------------------------------------------------------------

def latest_points(con: duckdb.DuckDBPyConnection, artist_id: str, platform=None, metric=None) -> list[dict[str, Any]]:
    """The newest week of each platform × metric the artist has (fct_latest_metrics: fct_metrics' last rows).

    Why not fct_metrics: there it is a scan of the whole series view; fct_latest_metrics is
    stored in artist_id order, so one artist costs a row group.
    """
    where = Where().add("artist_id = ?", artist_id).add_if(platform, "platform = ?").add_if(metric, "metric = ?")
    return _rows(con, f"select {POINT_COLUMNS} from marts.fct_latest_metrics where {where.sql()} "
                      "order by platform, metric", where.params)


def series(con: duckdb.DuckDBPyConnection, artist_id: str, platform, metric, first: date | None,
           last: date | None) -> list[dict[str, Any]]:
    where = (Where().add("artist_id = ?", artist_id).add_if(platform, "platform = ?").add_if(metric, "metric = ?")
             .add_if(first, "observed_at >= ?").add_if(last, "observed_at <= ?"))
    return _rows(con, f"select {POINT_COLUMNS} from marts.fct_metrics where {where.sql()} "
                      "order by platform, metric, observed_at", where.params)


# -- growth -----------------------------------------------------------------------------------

def _window_table(at_latest: bool) -> str:
    """fct_growth_latest holds exactly fct_growth's rows at a window's newest as_of, ranked; older ones are ranked on read (fct_growth_ranked)."""
    return "marts.fct_growth_latest" if at_latest else "marts.fct_growth_ranked"


def artist_growth(con: duckdb.DuckDBPyConnection, artist_id: str, period, platform, metric,
                  as_of: date | None) -> list[dict[str, Any]]:
    """The artist's windows ending ``as_of`` (fct_growth_ranked), or by default the latest of each series.

    Why fct_growth_latest for the default: it holds exactly each series' newest window, stored by
    window then artist, while in fct_growth the newest as_of per series is a scan of every as_of.
    """
    where = (Where().add("g.artist_id = ?", artist_id).add_if(period, "g.period = ?")
             .add_if(platform, "g.platform = ?").add_if(metric, "g.metric = ?").add_if(as_of, "g.as_of = ?"))
    rows = _rows(con, f"select {GROWTH_COLUMNS} from {_window_table(as_of is None)} as g where {where.sql()}",
                 where.params)
    return sorted(rows, key=lambda r: (r["platform"], r["metric"], PERIOD_ORDER[r["period"]]))


def latest_as_of(lease: Lease, platform, metric, period) -> date | None:
    """The newest as_of of a platform × metric × period, read once per snapshot for all of them.

    From fct_growth_latest (one row per series, a few million at 150 k artists): in fct_growth
    it is a scan of every as_of (100 M rows).
    """
    latest = lease.remember(("latest_as_of",), lambda con: {
        (p, m, d): day for p, m, d, day in con.execute(
            "select platform, metric, period, max(as_of) from marts.fct_growth_latest group by all").fetchall()})
    return latest.get((platform.value, metric.value, period.value))


def _leading_rows(con: duckdb.DuckDBPyConnection, platform, metric, period, order: GrowthOrder, where: Where,
                  count: int, select: str = "g.*", outer: str = "select * from leaders") -> list[dict[str, Any]] | None:
    """The first ``count`` rows of the window's newest as_of in ``order`` that pass ``where``, from fct_growth_leaders.

    ``select`` picks the columns (of ``g``), ``outer`` reads them as ``leaders``. None when the
    leaderboard cannot tell: fewer than ``count`` of its rows pass and it does not hold the whole
    window. Otherwise the answer is exact: the leaderboard is the window's first rows in the very
    order asked (ties broken by artist_id), so any row it lacks comes after every row it holds.
    """
    rows = _rows(con, f"with leaders as (select {select}, g.is_whole_window from marts.fct_growth_leaders as g "
                      "where g.platform = ? and g.metric = ? and g.period = ? and g.growth_order = ? "
                      f"and {where.sql()} order by g.leader_position limit ?) {outer}",
                 [platform.value, metric.value, period.value, order.value, *where.params, count])
    if len(rows) < count and not (rows and rows[0]["is_whole_window"]):
        return None
    for row in rows:
        del row["is_whole_window"]
    return rows


def growth_page(con: duckdb.DuckDBPyConnection, platform, metric, period, as_of: date, order: GrowthOrder,
                limit: int, after: dict[str, Any] | None, lt: float | None = None,
                gt: float | None = None, at_latest: bool = False) -> list[dict[str, Any]]:
    """One page (``limit`` + 1 rows) of every artist's window ending ``as_of``, each with its ``sort_key``.

    ``at_latest``: ``as_of`` is the window's newest: the page comes from fct_growth_leaders when
    it holds it, else from fct_growth_latest. The names are joined to the page's rows only (a
    join of the whole window would build a hash of every artist).
    """
    key = GROWTH_SORT_KEY[order]
    bounds = Where().add_if(lt, "g.value_end < ?").add_if(gt, "g.value_end > ?")
    if after is not None:
        bounds.add(f"({key}, g.artist_id) > (?, ?)", _number(after, "key"), _text(after, "artist_id"))
    if at_latest:
        leading = _leading_rows(con, platform, metric, period, order, bounds, limit + 1,
                                select=f"g.artist_id, g.artist_name, {GROWTH_COLUMNS}, g.sort_key")
        if leading is not None:
            return leading
    where = Where().add("g.platform = ? and g.metric = ? and g.period = ? and g.as_of = ?",
                        platform.value, metric.value, period.value, as_of).extend(bounds)
    return _rows(con, "select page.artist_id, a.artist_name, page.* exclude (artist_id) from ("
                      f"select g.artist_id, {GROWTH_COLUMNS}, {key} as sort_key from {_window_table(at_latest)} as g "
                      f"where {where.sql()} order by sort_key, g.artist_id limit ?"
                      ") as page join marts.dim_artists as a using (artist_id) order by page.sort_key, page.artist_id",
                 [*where.params, limit + 1])


def top_growers(con: duckdb.DuckDBPyConnection, platform, metric, period, as_of: date, by: TopBy,
                min_value: float, limit: int, at_latest: bool = False) -> list[dict[str, Any]]:
    """The best ``limit`` windows ending ``as_of`` among those with value_end ≥ ``min_value`` (as marts.top_growers).

    The rank is taken over the best ``limit`` rows only (ties broken by artist_id): every row ranked
    above a kept row is kept too, so its rank is the one among all qualifying rows, with a top-N
    instead of a sort of the whole window.
    """
    order = TOP_ORDER[by]
    if at_latest:
        passing = Where().add("g.value_end >= ?", min_value).add(f"{order} is not null")
        leading = _leading_rows(
            con, platform, metric, period, TOP_LEADERS[by], passing, limit,
            select=f"g.artist_id, g.artist_name, {GROWTH_COLUMNS}, {order} as sort_value",
            outer=f"select * exclude (sort_value), {TOP_RANK} from leaders order by rank, artist_id")
        if leading is not None:
            return leading
    return _rows(con, "select best.artist_id, a.artist_name, best.* exclude (artist_id, sort_value), "
                      f"{TOP_RANK} from ("
                      f"select g.artist_id, {GROWTH_COLUMNS}, {order} as sort_value from {_window_table(at_latest)} as g "
                      "where g.platform = ? and g.metric = ? and g.period = ? and g.as_of = ? "
                      f"and g.value_end >= ? and {order} is not null "
                      f"order by {order} desc, g.artist_id limit ?"
                      ") as best join marts.dim_artists as a using (artist_id) order by rank, best.artist_id",
                 [platform.value, metric.value, period.value, as_of, min_value, limit])


# -- anomalies ---------------------------------------------------------------------------------

def anomalies(con: duckdb.DuckDBPyConnection, *, has_kind: bool, since: date | None, platform, metric,
              include_review: bool, artist_id: str | None = None, limit: int | None = None,
              after: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Suspicious weeks, one row per artist × platform × metric × week with every detector's score."""
    where = (Where().add_if(artist_id, "f.artist_id = ?").add_if(since, "f.week_at >= ?")
             .add_if(platform, "f.platform = ?").add_if(metric, "f.metric = ?"))
    having = "true" if include_review else "bool_or(f.is_anomaly)"
    page = ""
    params = list(where.params)
    if after is not None:
        # Newest week first, then artist, platform, metric: "after" = an older week, or the same week further on.
        page = "where week_at < ? or (week_at = ? and (artist_id, platform, metric) > (?, ?, ?))"
        day = cursor_day(after, "week_at")
        params += [day, day, _text(after, "artist_id"), _text(after, "platform"), _text(after, "metric")]
    kind = "min(f.kind)" if has_kind else "null"
    limited = ""
    if limit is not None:
        limited = "limit ?"
        params.append(limit + 1)
    # The names are joined to the page's weeks only, and the detectors sorted as a list: joining
    # every anomaly to dim_artists and an ordered aggregate were 14 of 17 ms of a page.
    sql = f"""
        select weeks.artist_id, a.artist_name, weeks.* exclude (artist_id) from (
            select * from (
                select f.artist_id, f.platform, f.metric, f.week_at,
                       bool_or(f.is_anomaly) as is_anomaly, {kind} as kind, min(f.reason) as reason,
                       list_sort(list({{'detector': f.detector, 'score': f.score}})) as detectors
                from marts.fct_anomalies as f
                where {where.sql()}
                group by f.artist_id, f.platform, f.metric, f.week_at
                having {having}
            ) {page}
            order by week_at desc, artist_id, platform, metric
            {limited}
        ) as weeks join marts.dim_artists as a using (artist_id)
        order by weeks.week_at desc, weeks.artist_id, weeks.platform, weeks.metric
    """
    return _rows(con, sql, params)


# -- health -----------------------------------------------------------------------------------

def source_freshness(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _rows(con, "select source, max(last_observed_at) as newest_observed_at "
                      "from marts.source_coverage group by source order by source", [])
