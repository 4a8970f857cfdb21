-- Growth in the 4 weeks after each release against the 4 weeks before, per artist, release
-- and series (every platform × metric the artist has). Windows are on the weekly series
-- (fct_metrics): before = release week − 28 days → release week; after = release week →
-- release week + 28 days, where the release week is the Sunday on or before the release day.
-- A side is null until both its ends exist (an album released last week has no "after" yet).
with releases as (
    select * from {{ ref('fct_releases') }}
    where released_on is not null
),

-- Only the three Sundays each release looks at, found by streaming fct_metrics past the small
-- set of (artist, Sunday) pairs: joining releases to every weekly point would hash all of them.
release_sundays as (
    select artist_id, release_week_at + shift.days as observed_at
    from releases
    cross join (values (-28), (0), (28)) as shift(days)
),

metrics as (
    select fct_metrics.artist_id, fct_metrics.platform, fct_metrics.metric, fct_metrics.observed_at, fct_metrics.value
    from {{ ref('fct_metrics') }} as fct_metrics
    semi join release_sundays using (artist_id, observed_at)
),

series as (
    select distinct artist_id, platform, metric from metrics
),

windows as (
    select
        releases.artist_id,
        releases.album_id,
        releases.album_name,
        releases.released_on,
        releases.release_week_at,
        series.platform,
        series.metric,
        before_start.value as value_4w_before,
        at_release.value as value_at_release,
        after_end.value as value_4w_after
    from releases
    inner join series on series.artist_id = releases.artist_id
    left join metrics as before_start
        on before_start.artist_id = series.artist_id and before_start.platform = series.platform
        and before_start.metric = series.metric and before_start.observed_at = releases.release_week_at - 28
    left join metrics as at_release
        on at_release.artist_id = series.artist_id and at_release.platform = series.platform
        and at_release.metric = series.metric and at_release.observed_at = releases.release_week_at
    left join metrics as after_end
        on after_end.artist_id = series.artist_id and after_end.platform = series.platform
        and after_end.metric = series.metric and after_end.observed_at = releases.release_week_at + 28
)

select
    *,
    round(100.0 * (value_at_release - value_4w_before) / nullif(value_4w_before, 0), 4) as growth_before_pct,
    round(100.0 * (value_4w_after - value_at_release) / nullif(value_at_release, 0), 4) as growth_after_pct,
    round(
        100.0 * (value_4w_after - value_at_release) / nullif(value_at_release, 0)
        - 100.0 * (value_at_release - value_4w_before) / nullif(value_4w_before, 0),
        4
    ) as growth_lift_pct_points
from windows
where coalesce(value_4w_before, value_at_release, value_4w_after) is not null
