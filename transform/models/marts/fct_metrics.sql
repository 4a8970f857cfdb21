-- The one long weekly series analysts read: per artist × platform × metric, one value per
-- Sunday (observed_at) from the winning source, plus interpolated weeks flagged as such.
-- The first point a newer source gives after a failed junction is marked `junction_break`:
-- a jump there may be the hand-over, not growth. Reading junction_report here also puts the
-- systemic junction checks (tests on junction_report) upstream of every series mart, so dbt
-- build skips them when a hand-over is broken for most channels.
-- A view over int_metrics__weekly (itself a view: the incremental table
-- int_metrics__weekly_ranked plus YouNiverse's weeks read from raw) and the table
-- int_metrics__interpolated: the real weeks are stored once, and a weekly refresh rewrites no
-- history; the junction flag and the union cost a hash lookup against a small table.
{{ config(materialized='view') }}
with broken_handovers as (
    select artist_id, newer_source as source, newer_first_at as measured_on
    from {{ ref('junction_report') }}
    where not passed and newer_first_at is not null
),

real_weeks as (
    select
        weekly.artist_id, weekly.platform, weekly.metric, weekly.week_at as observed_at, weekly.value,
        weekly.source, false as is_interpolated,
        case
            when broken.artist_id is not null and weekly.metric in ('subscribers', 'views') then 'junction_break'
            else weekly.quality
        end as quality,
        weekly.measured_on, weekly.loaded_at
    from {{ ref('int_metrics__weekly') }} as weekly
    left join broken_handovers as broken
        on broken.artist_id = weekly.artist_id
        and weekly.platform = 'youtube'
        and broken.source = weekly.source
        and broken.measured_on = weekly.measured_on
),

interpolated_weeks as (
    select
        artist_id, platform, metric, week_at as observed_at, value, source,
        true as is_interpolated, 'interpolated' as quality, cast(null as date) as measured_on, loaded_at
    from {{ ref('int_metrics__interpolated') }}
),

final as (
    select * from real_weeks
    union all
    select * from interpolated_weeks
)

select * from final
