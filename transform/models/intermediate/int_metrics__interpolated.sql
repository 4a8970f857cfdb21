-- Missing weeks between two real weekly points, filled on a straight line and flagged.
-- Never before the first or after the last real point (no extrapolation), and never across
-- a gap longer than var('max_interpolated_weeks'): a long silence stays a gap.
-- Lineage: an interpolated week carries the source of the real point before it.
-- Why the filters first: at full scale almost every series is gap-free (one point a week). An
-- artist measured by one source on one account, on every week between its first and last and
-- with every metric each time (int_metrics__source_spans), has nothing to fill and is never
-- read; of the others, a series whose point count equals its span in weeks is skipped too.
-- Only the few series left are sorted to find their gaps.
with gap_free_artists as (
    select artist_id
    from {{ ref('int_metrics__source_spans') }}
    group by artist_id
    having count(*) = 1
        and bool_and(has_every_metric and weeks_covered = (last_week_at - first_week_at) // 7 + 1)
),

candidates as (
    select distinct artist_id
    from {{ ref('int_metrics__source_spans') }}
    anti join gap_free_artists using (artist_id)
),

weekly as (
    select *
    from {{ ref('int_metrics__weekly') }}
    semi join candidates using (artist_id)
),

series_with_gaps as (
    select artist_id, platform, metric
    from weekly
    group by artist_id, platform, metric
    having count(*) < (max(week_at) - min(week_at)) // 7 + 1
),

with_next as (
    select
        *,
        lead(week_at) over series as next_week_at,
        lead(value) over series as next_value,
        lead(loaded_at) over series as next_loaded_at
    from weekly
    semi join series_with_gaps using (artist_id, platform, metric)
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
