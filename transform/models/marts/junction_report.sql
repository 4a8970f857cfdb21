-- Every junction where one history source hands over to the next, per channel, judged by the
-- enrichment spec's rules:
--   gap between the older source's last point and the newer one's first: at most 14 days;
--   implied daily growth across it (change / older value / max(gap, 1 day), either sign):
--     subscribers at most 5 %/day, views at most 10 %/day; a subscriber change no larger
--     than one 3-significant-figure rounding step counts as no change;
--   where a source that splits views (longform_views and shorts_views in the registry: ViewStats)
--   takes over: longform + shorts within 5 % of total views.
-- The junctions themselves are the registry's hand-overs (vars.metric_sources).
with endpoints as (
    select * from {{ ref('int_junctions__endpoints') }}
),

measured as (
    select
        *,
        newer_first_at - older_last_at as gap_days,
        case
            when abs(subscribers_newer - subscribers_older) <= {{ rounding_step('subscribers_older', 'subscribers_newer') }} then 0
            else subscribers_newer - subscribers_older
        end as subscribers_change,
        views_newer - views_older as views_change
    from endpoints
),

rated as (
    select
        *,
        round(100.0 * subscribers_change / nullif(subscribers_older, 0) / greatest(gap_days, 1), 4) as subscribers_daily_growth_pct,
        round(100.0 * views_change / nullif(views_older, 0) / greatest(gap_days, 1), 4) as views_daily_growth_pct,
        case
            -- the split rule belongs to the junction where the splitting source takes over
            when newer_source in {{ sql_list(splitting_sources()) }} and split_total_views > 0
                then round(100.0 * abs(split_longform_views + split_shorts_views - split_total_views) / split_total_views, 4)
        end as split_diff_pct
    from measured
),

judged as (
    select
        *,
        list_filter([
            case when older_last_at is not null and newer_first_at is null then 'no ' || newer_source || ' points after ' || older_source || ' ended' end,
            case when gap_days > 14 then 'gap ' || gap_days || ' days > 14' end,
            case when abs(subscribers_daily_growth_pct) > 5 then 'subscribers ' || subscribers_daily_growth_pct || ' %/day beyond ±5' end,
            case when abs(views_daily_growth_pct) > 10 then 'views ' || views_daily_growth_pct || ' %/day beyond ±10' end,
            case when split_diff_pct > 5 then 'longform + shorts ' || split_diff_pct || ' % off total views > 5' end
        ], lambda x: x is not null) as failures
    from rated
)

select
    junction,
    junction_order,
    artist_id,
    youtube_channel_id,
    older_source,
    newer_source,
    older_last_at,
    newer_first_at,
    gap_days,
    subscribers_older,
    subscribers_newer,
    subscribers_daily_growth_pct,
    views_older,
    views_newer,
    views_daily_growth_pct,
    split_longform_views,
    split_shorts_views,
    split_total_views,
    split_diff_pct,
    len(failures) = 0 as passed,
    case when len(failures) = 0 then 'all junction rules hold' else array_to_string(failures, '; ') end as reason
from judged
