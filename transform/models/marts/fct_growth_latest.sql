-- Each artist's latest window per platform × metric × period: fct_growth's rows at the newest
-- as_of each series has, with the same columns. What the API's latest-growth reads ask
-- (/v1/artists/{id}/growth, and /v1/artists/growth, /top, /filter at a window's latest as_of).
-- Why a table apart: fct_growth holds every as_of (100 M rows at 150 k artists); finding the
-- newest one per series there scans it whole (seconds). This is one row per series (about
-- 12 per artist), stored in platform, metric, period, artist_id order, so one window's rows are
-- a couple of row groups and DuckDB skips the rest by their min/max.
-- The artists whose latest as_of is a window's newest as_of are exactly fct_growth's rows at
-- that as_of (no artist has a later one), so a page at the latest as_of reads the same rows here.
-- Incremental: a refresh reads fct_growth from the earliest as_of holding a window loaded after
-- the newest load reflected here (a literal bound: fct_growth is written by as_of, so the older
-- row groups are skipped). It reads those as_of dates whole, not only the new windows, because
-- fct_growth replaces a recomputed as_of whole and the other artists' growth_rank there changes
-- too. A series keeps its stored window unless fct_growth has one at least that recent. The
-- post-hook drops windows fct_growth's horizon (growth_history_weeks) has passed.
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

candidates as (
    select * from new_windows
    {% if is_incremental() %}
    union all
    select stored.*
    from {{ this }} as stored
    semi join new_windows using (artist_id, platform, metric, period)
    -- from changed_from on, fct_growth's rows are the current ones (ranks included)
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
             abs_change: abs_change, growth_pct: growth_pct, growth_rank: growth_rank,
             is_within_rounding: is_within_rounding, is_interpolated: is_interpolated,
             source_start: source_start, source_end: source_end, quality_end: quality_end,
             loaded_at: loaded_at},
            as_of
        ) as w
    from candidates
    group by artist_id, platform, metric, period
)

select artist_id, platform, metric, period, w.*
from latest
order by platform, metric, period, artist_id
