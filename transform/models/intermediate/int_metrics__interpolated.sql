-- Missing weeks between two real weekly points, filled on a straight line and flagged.
-- Never before the first or after the last real point (no extrapolation), and never across
-- a gap longer than var('max_interpolated_weeks'): a long silence stays a gap.
-- Lineage: an interpolated week carries the source of the real point before it.
with weekly as (
    select * from {{ ref('int_metrics__weekly') }}
),

with_next as (
    select
        *,
        lead(week_at) over series as next_week_at,
        lead(value) over series as next_value,
        lead(loaded_at) over series as next_loaded_at
    from weekly
    window series as (partition by artist_id, platform, metric order by week_at)
),

gaps as (
    select *
    from with_next
    where next_week_at is not null
        and next_week_at - week_at > 7
        and next_week_at - week_at <= 7 * ({{ var('max_interpolated_weeks') }} + 1)
),

filled as (
    select
        artist_id,
        platform,
        metric,
        week_at + cast(7 * step as integer) as week_at,
        value + (next_value - value) * (7.0 * step) / (next_week_at - week_at) as value,
        source,
        greatest(loaded_at, next_loaded_at) as loaded_at
    from gaps
    cross join unnest(range(1, (next_week_at - week_at) // 7)) as steps(step)
)

select * from filled
