-- The newest week of every artist × platform × metric: fct_metrics' last row per series, the
-- answer to "what is this artist at now" that the API and dashboards ask per artist.
-- Why a table apart: fct_metrics is a view over 226 M values at full scale, and finding one
-- artist's newest weeks in it scans YouNiverse whole; stored in artist_id order, one artist's
-- rows are one row group away (DuckDB skips the others by their min/max).
-- Incremental: a refresh reads only the points loaded after the newest load reflected here
-- (literal bound, so appended row groups alone are read), and a series whose new point is not
-- newer than its stored latest week keeps the stored one.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['artist_id', 'platform', 'metric'],
        on_schema_change='fail'
    )
}}
{%- set watermark = newest_loaded_at() %}
with new_points as (
    select artist_id, platform, metric, observed_at, value, source, is_interpolated, quality, loaded_at
    from {{ ref('fct_metrics') }}
    where loaded_at > {{ watermark }}
),

candidates as (
    select * from new_points
    {% if is_incremental() %}
    union all
    select stored.artist_id, stored.platform, stored.metric, stored.observed_at, stored.value,
        stored.source, stored.is_interpolated, stored.quality, stored.loaded_at
    from {{ this }} as stored
    semi join new_points using (artist_id, platform, metric)
    {% endif %}
),

-- The newest week; on the same week the later load wins (a higher-precedence source's new point).
-- Why arg_max and not row_number(): a hash aggregate, no sort of every value (13x faster on 3 M rows, measured).
latest as (
    select
        artist_id, platform, metric,
        arg_max(
            {observed_at: observed_at, value: value, source: source, is_interpolated: is_interpolated,
             quality: quality, loaded_at: loaded_at},
            (observed_at, loaded_at)
        ) as point
    from candidates
    group by artist_id, platform, metric
)

select artist_id, platform, metric, point.*
from latest
order by artist_id, platform, metric
