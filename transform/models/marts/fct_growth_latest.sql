-- Each artist's latest window per platform × metric × period: fct_growth's rows at the newest
-- as_of each series has, with the same columns, and growth_rank: the window's rank among every
-- artist's window of that platform × metric × period ending the same as_of (fct_growth_ranked's).
-- What the API's latest-growth reads ask (/v1/artists/{id}/growth, and /v1/artists/growth,
-- /top, /filter at a window's latest as_of).
-- Why a table apart: fct_growth holds every as_of (100 M rows at 150 k artists); finding the
-- newest one per series there scans it whole (seconds). This is one row per series (about
-- 12 per artist), stored in artist_id order, so one artist's windows are one row group and
-- DuckDB skips the rest by their min/max. A window's rows are read in listing order from
-- fct_growth_leaders; a scan here serves only what the leaderboards cannot tell.
-- The artists whose latest as_of is a window's newest as_of are exactly fct_growth's rows at
-- that as_of (no artist has a later one), so a page at the latest as_of reads the same rows here.
-- The rank: only the as_of dates some series ends at are ranked, from a narrow projection of
-- fct_growth (usually one as_of: 1.8 M rows at 150 k artists, not fct_growth's 100 M).
-- Incremental: a refresh reads fct_growth from the earliest as_of holding a window loaded after
-- the newest load reflected here (a literal bound: fct_growth is written by as_of, so the older
-- row groups are skipped). It reads those as_of dates whole, not only the new windows, because
-- fct_growth replaces a recomputed as_of whole and every artist's rank there can change. A series
-- keeps its stored window (and rank: its as_of was not recomputed) unless fct_growth has one at
-- least that recent. The post-hook drops windows fct_growth's horizon (growth_history_weeks)
-- has passed.
-- depends_on: {{ ref('int_metrics__source_spans') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['artist_id', 'platform', 'metric', 'period'],
        on_schema_change='fail',
        post_hook="delete from {{ this }} where as_of < {{ growth_history_start() }}"
    )
}}
{%- set watermark = newest_loaded_at() %}
{%- set changed_from = earliest_changed(ref('fct_growth'), 'as_of', watermark) %}
with new_windows as (
    select *
    from {{ ref('fct_growth') }}
    where as_of >= {{ changed_from }}
),

-- stored_rank: the rank a stored window keeps (its as_of was not recomputed); the new ones are
-- ranked below.
candidates as (
    select *, null::integer as stored_rank from new_windows
    {% if is_incremental() %}
    union all by name
    select stored.* exclude (growth_rank), stored.growth_rank as stored_rank
    from {{ this }} as stored
    semi join new_windows using (artist_id, platform, metric, period)
    -- from changed_from on, fct_growth's rows are the current ones
    where stored.as_of < {{ changed_from }}
    {% endif %}
),

-- The newest as_of of each series (one row per as_of and series in the candidates).
-- Why arg_max and not row_number(): a hash aggregate, no sort (as fct_latest_metrics).
latest as (
    select
        artist_id, platform, metric, period,
        arg_max(
            {as_of: as_of, start_at: start_at, value_start: value_start, value_end: value_end,
             abs_change: abs_change, growth_pct: growth_pct, stored_rank: stored_rank,
             is_within_rounding: is_within_rounding, is_interpolated: is_interpolated,
             source_start: source_start, source_end: source_end, quality_end: quality_end,
             loaded_at: loaded_at},
            as_of
        ) as w
    from candidates
    group by artist_id, platform, metric, period
),

-- The windows (platform × metric × period × as_of) a newly read latest row ends in; each is
-- ranked whole, among every artist's window there, on the columns the rank needs only.
ranked_windows as (
    select distinct platform, metric, period, w.as_of as as_of
    from latest
    where w.as_of >= {{ changed_from }}
),

-- Read from fct_growth again, not from new_windows: a CTE read twice may be materialized whole.
ranks as (
    select artist_id, platform, metric, period, as_of, {{ growth_rank() }} as growth_rank
    from (
        select artist_id, platform, metric, period, as_of, growth_pct
        from {{ ref('fct_growth') }}
        where as_of >= {{ changed_from }}
    ) as windows
    semi join ranked_windows using (platform, metric, period, as_of)
)

select
    latest.artist_id, latest.platform, latest.metric, latest.period,
    w.as_of, w.start_at, w.value_start, w.value_end, w.abs_change, w.growth_pct,
    case when w.as_of >= {{ changed_from }} then ranks.growth_rank else w.stored_rank end as growth_rank,
    w.is_within_rounding, w.is_interpolated, w.source_start, w.source_end, w.quality_end, w.loaded_at
from latest
left join ranks
    on ranks.artist_id = latest.artist_id and ranks.platform = latest.platform and ranks.metric = latest.metric
    and ranks.period = latest.period and ranks.as_of = w.as_of
order by latest.artist_id, latest.platform, latest.metric, latest.period
