{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of',
        on_schema_change='fail'
    )
}}
-- Growth per artist × platform × metric × period × as_of, for every date the series has.
-- 1d compares two consecutive days of daily API readings; 7d/30d/90d/365d compare Sundays of
-- the weekly series (fct_metrics) 7, 28, 91 and 364 days apart (the Sunday nearest N days back).
-- Rounded subscriber counts (3 significant figures) do not make fake growth: a change no larger
-- than one rounding step of the larger value is reported as 0 (is_within_rounding), because
-- the true change behind it could be anything from nothing to two steps.
-- Incremental: recomputes every as_of whose inputs (either end of any window) were loaded
-- after the newest load already reflected here, then replaces those as_of dates whole, so
-- ranks stay complete and the result equals a full refresh.
with periods as (
    select * from (values ('1d', 1), ('7d', 7), ('30d', 28), ('90d', 91), ('365d', 364)) as p(period, offset_days)
),

weekly as (
    select artist_id, platform, metric, observed_at, value, source, is_interpolated, loaded_at
    from {{ ref('fct_metrics') }}
),

daily as (
    select artist_id, platform, metric, observed_at, value, source, false as is_interpolated, loaded_at
    from {{ ref('int_metrics__daily') }}
),

points as (
    select 'weekly' as grain, * from weekly
    union all
    select 'daily' as grain, * from daily
),

{% if is_incremental() %}
changed_as_of as (
    select distinct points.observed_at + periods.offset_days * shift.k as as_of
    from points
    inner join periods on (points.grain = 'daily') = (periods.period = '1d')
    cross join (values (0), (1)) as shift(k)
    where points.loaded_at > (select coalesce(max(loaded_at), '-infinity'::timestamptz) from {{ this }})
),
{% endif %}

windows as (
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
        starting.is_interpolated or ending.is_interpolated as is_interpolated,
        greatest(starting.loaded_at, ending.loaded_at) as loaded_at
    from points as ending
    inner join periods
        on (ending.grain = 'daily') = (periods.period = '1d')
    inner join points as starting
        on starting.grain = ending.grain
        and starting.artist_id = ending.artist_id
        and starting.platform = ending.platform
        and starting.metric = ending.metric
        and starting.observed_at = ending.observed_at - periods.offset_days
    where true
    {% if var('growth_as_of_since') %}
        and ending.observed_at >= cast('{{ var("growth_as_of_since") }}' as date)
    {% endif %}
    {% if is_incremental() %}
        and ending.observed_at in (select as_of from changed_as_of)
    {% endif %}
),

measured as (
    select
        *,
        value_end - value_start as raw_change,
        case
            when {{ is_rounded_source('metric', 'source_start') }} or {{ is_rounded_source('metric', 'source_end') }}
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
            else round(100.0 * raw_change / value_start, 4)
        end as growth_pct,
        abs(raw_change) <= rounding_step and raw_change <> 0 as is_within_rounding,
        is_interpolated,
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
    cast(case when growth_pct is not null then rank() over (
        partition by platform, metric, period, as_of
        order by growth_pct desc nulls last
    ) end as integer) as growth_rank,
    is_within_rounding,
    is_interpolated,
    loaded_at
from final
