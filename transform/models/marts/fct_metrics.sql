-- The one long weekly series analysts read: per artist × platform × metric, one value per
-- Sunday (observed_at) from the winning source, plus interpolated weeks flagged as such.
with real_weeks as (
    select
        artist_id, platform, metric, week_at as observed_at, value, source,
        false as is_interpolated, quality, measured_on, loaded_at
    from {{ ref('int_metrics__weekly') }}
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
