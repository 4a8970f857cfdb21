{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where as_of < {{ growth_history_start() }}"
    )
}}
-- The post-hook drops as_of dates the horizon (growth_history_weeks) has moved past, so a
-- refresh after a new week keeps exactly the as_of dates a full build keeps.

-- Growth per artist × platform × metric × period × as_of, for every date the series has.
-- 1d compares two consecutive days of daily API readings; 7d/30d/90d/365d compare Sundays of
-- the weekly series (fct_metrics) 7, 28, 91 and 364 days apart (the Sunday nearest N days back).
-- Rounded subscriber counts (3 significant figures; which sources round, and since when, is the
-- registry's rule: is_rounded) do not make fake growth: a change no larger than one rounding
-- step of the larger value is reported as 0 (is_within_rounding), because the true change behind
-- it could be anything from nothing to two steps.
-- growth_pct is stored exact; round it where it is shown.
-- Stored unranked: ranking every as_of (a sort of every window) was about 40 % of this model's
-- build, while the rank is read at one as_of at a time. fct_growth_ranked ranks where it is read
-- (DuckDB pushes an as_of filter below the rank), fct_growth_latest stores the rank of each
-- series' newest window; the rule is one macro, growth_rank().
-- Incremental: recomputes every as_of whose inputs (either end of any window) were loaded
-- after the newest load already reflected here, then replaces those as_of dates whole, so the
-- result equals a full refresh.
-- var('growth_history_weeks') (env URATED_GROWTH_HISTORY_WEEKS; empty = all history) keeps
-- only as_of dates within that many weeks of the newest week: ten years of growth for 150 k
-- channels is a billion rows, while fct_metrics keeps every value to recompute older windows.
-- depends_on: {{ ref('int_metrics__source_spans') }}
{%- set watermark = newest_loaded_at() %}
{%- set changed_from = earliest_changed(ref('fct_metrics'), 'observed_at', watermark) %}
{%- set changed_day_from = earliest_changed(ref('int_metrics__daily'), 'observed_at', watermark) %}
{%- set history_from = growth_history_start() %}
{#- The periods, defined once: name, grain, days back. On a weekly series a step is 7 days. -#}
{%- set growth_periods = [('1d', 'daily', 1), ('7d', 'weekly', 7), ('30d', 'weekly', 28), ('90d', 'weekly', 91), ('365d', 'weekly', 364)] %}
{#- In a regular series the start of a window is this many rows back (a day or a Sunday per row). -#}
{%- set steps = namespace(rows=[]) %}
{%- for period, grain, days in growth_periods %}
    {%- set rows = days if grain == 'daily' else days // 7 %}
    {%- if rows not in steps.rows %}{% set steps.rows = steps.rows + [rows] %}{% endif %}
{%- endfor %}
{#- An as_of is recomputed from its changed point on; its window starts up to the longest period earlier. -#}
{%- set reads_from = "(greatest(least(" ~ changed_from ~ ", " ~ changed_day_from ~ "), " ~ history_from ~ ") - " ~ (growth_periods | map(attribute=2) | max) ~ ")" %}

with periods as (
    select * from (values
        {%- for period, grain, days in growth_periods %}
        ('{{ period }}', {{ days }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as p(period, offset_days)
),

{% if is_incremental() %}
-- A refresh recomputes only the as_of dates a newly loaded point can end or start a window at,
-- and reads only the points on those dates and on their windows' start dates.
new_points as (
    select 'weekly' as grain, observed_at
    from {{ ref('fct_metrics') }}
    where loaded_at > {{ watermark }} and observed_at >= {{ changed_from }}
    union all
    select 'daily', observed_at
    from {{ ref('int_metrics__daily') }}
    where loaded_at > {{ watermark }} and observed_at >= {{ changed_day_from }}
),

changed_as_of as (
    select distinct new_points.observed_at + periods.offset_days * shift.k as as_of
    from new_points
    inner join periods on (new_points.grain = 'daily') = (periods.period = '1d')
    cross join (values (0), (1)) as shift(k)
    where new_points.observed_at + periods.offset_days * shift.k >= {{ history_from }}
),

window_days as (
    select as_of as day from changed_as_of
    union
    select changed_as_of.as_of - periods.offset_days from changed_as_of cross join periods
),
{% endif %}

-- Only points that can be either end of a window kept: on a full build, from 364 days before
-- the first as_of kept (a literal bound); on a refresh, the window days above.
weekly as (
    select artist_id, platform, metric, observed_at, value, source, is_interpolated, loaded_at, quality
    from {{ ref('fct_metrics') }}
    where observed_at >= {{ reads_from }}
    {% if is_incremental() %}
        and observed_at in (select day from window_days)
    {% endif %}
),

daily as (
    select artist_id, platform, metric, observed_at, value, source, false as is_interpolated, loaded_at, quality
    from {{ ref('int_metrics__daily') }}
    where observed_at >= {{ reads_from }}
    {% if is_incremental() %}
        and observed_at in (select day from window_days)
    {% endif %}
),

-- Materialized once: several steps below read it (an inlined CTE would re-read fct_metrics each time).
points as materialized (
    select 'weekly' as grain, * from weekly
    union all
    select 'daily' as grain, * from daily
),

-- Why two paths: nearly every series has a point on every step (day for daily, Sunday for
-- weekly) of the span read, and in such a series the point N days back is exactly k rows back:
-- one sorted pass with lag() finds every window's start. Series with gaps are few and take the
-- exact date join. A hash join of every point against every point costs far more memory.
series as materialized (
    select
        grain, artist_id, platform, metric,
        {% if is_incremental() %}
        -- a refresh reads a few dates, not whole series: every window takes the date join
        false as is_regular
        {% else %}
        count(*) = (max(observed_at) - min(observed_at)) // (case when grain = 'daily' then 1 else 7 end) + 1 as is_regular
        {% endif %}
    from points
    group by grain, artist_id, platform, metric
),

lagged as (
    select
        points.*,
        {%- for rows in steps.rows %}
        lag({observed_at: observed_at, value: value, source: source, is_interpolated: is_interpolated, loaded_at: loaded_at}, {{ rows }}) over series_order as back_{{ rows }}{{ "," if not loop.last }}
        {%- endfor %}
    from points
    semi join (select * from series where is_regular) as regular
        using (grain, artist_id, platform, metric)
    window series_order as (partition by grain, artist_id, platform, metric order by observed_at)
),

-- One pass over the lagged rows: each ending point unnests into its periods' windows.
regular_ends as (
    select
        lagged.*,
        unnest(case when grain = 'daily'
            then [{%- for period, grain, days in growth_periods if grain == 'daily' %}{period: '{{ period }}', back: back_{{ days }}}{{ ", " if not loop.last }}{% endfor -%}]
            else [{%- for period, grain, days in growth_periods if grain == 'weekly' %}{period: '{{ period }}', back: back_{{ days // 7 }}}{{ ", " if not loop.last }}{% endfor -%}]
        end) as window_start
    from lagged
    where observed_at >= {{ history_from }}
    {% if is_incremental() %}
        and observed_at in (select as_of from changed_as_of)
    {% endif %}
),

regular_windows as (
    select
        artist_id, platform, metric, window_start.period as period, observed_at as as_of,
        window_start.back.observed_at as start_at,
        window_start.back.value as value_start,
        value as value_end,
        window_start.back.source as source_start,
        source as source_end,
        quality as quality_end,
        window_start.back.is_interpolated or is_interpolated as is_interpolated,
        greatest(window_start.back.loaded_at, loaded_at) as loaded_at
    from regular_ends
    where window_start.back is not null
),

irregular_points as (
    select points.*
    from points
    semi join (select * from series where not is_regular) as irregular
        using (grain, artist_id, platform, metric)
),

irregular_windows as (
    select
        ending.artist_id,
        ending.platform,
        ending.metric,
        periods.period,
        ending.observed_at as as_of,
        starting.observed_at as start_at,
        starting.value as value_start,
        ending.value as value_end,
        starting.source as source_start,
        ending.source as source_end,
        ending.quality as quality_end,
        starting.is_interpolated or ending.is_interpolated as is_interpolated,
        greatest(starting.loaded_at, ending.loaded_at) as loaded_at
    from irregular_points as ending
    inner join periods
        on (ending.grain = 'daily') = (periods.period = '1d')
    inner join irregular_points as starting
        on starting.grain = ending.grain
        and starting.artist_id = ending.artist_id
        and starting.platform = ending.platform
        and starting.metric = ending.metric
        and starting.observed_at = ending.observed_at - periods.offset_days
    where ending.observed_at >= {{ history_from }}
    {% if is_incremental() %}
        and ending.observed_at in (select as_of from changed_as_of)
    {% endif %}
),

windows as (
    select * from regular_windows
    union all
    select * from irregular_windows
),

measured as (
    select
        *,
        value_end - value_start as raw_change,
        case
            when {{ is_rounded('metric', 'source_start', 'start_at') }} or {{ is_rounded('metric', 'source_end', 'as_of') }}
                then {{ rounding_step('value_start', 'value_end') }}
            else 0
        end as rounding_step
    from windows
),

final as (
    select
        artist_id,
        platform,
        metric,
        period,
        as_of,
        start_at,
        value_start,
        value_end,
        case when abs(raw_change) <= rounding_step then 0 else raw_change end as abs_change,
        case
            when value_start is null or value_start = 0 then null
            when abs(raw_change) <= rounding_step then 0
            else 100.0 * raw_change / value_start
        end as growth_pct,
        abs(raw_change) <= rounding_step and raw_change <> 0 as is_within_rounding,
        is_interpolated,
        source_start,
        source_end,
        quality_end,
        loaded_at
    from measured
)

select
    artist_id,
    platform,
    metric,
    period,
    as_of,
    start_at,
    value_start,
    value_end,
    abs_change,
    growth_pct,
    is_within_rounding,
    is_interpolated,
    source_start,
    source_end,
    quality_end,
    loaded_at
from final
