-- The first var('growth_leaders_per_window') (2,000) rows of every window (platform × metric ×
-- period at its newest as_of) in each order a growth listing is read in: growth_pct or
-- abs_change, descending or ascending, nulls last, ties by artist_id; with the artist's name.
-- What the API's /v1/artists/top, /v1/artists/growth and /v1/artists/filter read at the latest
-- as_of: their answers are the first rows of one such order that pass a filter (value_end
-- bounds, a page's position), and a leaderboard holds them whenever enough of its rows pass.
-- Why a table apart: answering from fct_growth_latest ranks a whole window (150 k rows at full
-- scale) and joins the names on every request, 12-20 ms of a 2-core machine's time; here it is
-- a read of a few row groups, stored by window, order and position.
-- Rebuilt whole with fct_growth_latest (a few seconds at full scale: a top-N per window and
-- order, not a sort of every window).
{{ config(materialized='table') }}
{%- set orders = ['pct_desc', 'pct_asc', 'abs_desc', 'abs_asc'] %}
with latest as (
    select * from {{ ref('fct_growth_latest') }}
),

artists as (
    select artist_id, artist_name from {{ ref('dim_artists') }}
),

windows as (
    select platform, metric, period, max(as_of) as as_of
    from latest
    group by platform, metric, period
),

window_rows as (
    select latest.*, count(*) over (partition by latest.platform, latest.metric, latest.period) as window_rows
    from latest
    inner join windows using (platform, metric, period, as_of)
),

ordered as (
    {%- for order in orders %}
    select
        '{{ order }}' as growth_order,
        {{ growth_sort_key(order) }} as sort_key,
        row_number() over (
            partition by platform, metric, period
            order by {{ growth_sort_key(order) }}, artist_id
        ) as leader_position,
        *
    from window_rows
    qualify leader_position <= {{ var('growth_leaders_per_window') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        ordered.platform, ordered.metric, ordered.period, ordered.growth_order, ordered.leader_position,
        ordered.sort_key, ordered.window_rows,
        ordered.window_rows <= {{ var('growth_leaders_per_window') }} as is_whole_window,
        ordered.artist_id, artists.artist_name,
        ordered.as_of, ordered.start_at, ordered.value_start, ordered.value_end, ordered.abs_change,
        ordered.growth_pct, ordered.growth_rank, ordered.is_within_rounding, ordered.is_interpolated,
        ordered.source_start, ordered.source_end, ordered.quality_end
    from ordered
    inner join artists using (artist_id)
)

select * from final
order by platform, metric, period, growth_order, leader_position
