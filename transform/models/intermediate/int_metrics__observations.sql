-- Every real measurement from every source as one long table (artist × platform × metric ×
-- source × day), so precedence, weekly alignment, junctions and coverage all start from the
-- same rows. value_on is the day the value describes: YouNiverse's Monday rows give the
-- value at the close of the Sunday before.
-- A view: at full scale these are 226 M rows (YouNiverse's 75 M channel-weeks × 3 metrics) that
-- every reader filters by source or by week; writing them once would cost more than all reads.
{{ config(materialized='view') }}
with accounts as (
    select * from {{ ref('int_artists__accounts') }}
),

youtube_api as (
    unpivot (
        select
            channel_id as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(case when not is_subscriber_count_hidden then subscriber_count end as double) as subscribers,
            cast(view_count as double) as views,
            cast(video_count as double) as videos
        from {{ ref('stg_youtube__channels') }}
        where is_active
    ) on subscribers, views, videos into name metric value value
),

viewstats as (
    unpivot (
        select
            channel_id as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(subscribers as double) as subscribers,
            cast(views as double) as views,
            cast(longform_views as double) as longform_views,
            cast(shorts_views as double) as shorts_views
        from {{ ref('stg_viewstats__weekly') }}
    ) on subscribers, views, longform_views, shorts_views into name metric value value
),

youniverse as (
    unpivot (
        select
            channel_id as account_id, observed_on, {{ youniverse_value_on('observed_on') }} as value_on, loaded_at,
            subscribers, views, videos
        from {{ ref('stg_youniverse__timeseries') }}
    ) on subscribers, views, videos into name metric value value
),

spotify_api as (
    unpivot (
        select
            spotify_artist_id as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(followers as double) as followers,
            cast(popularity as double) as popularity
        from {{ ref('stg_spotify__artists') }}
        where is_active
    ) on followers, popularity into name metric value value
),

instagram_api as (
    unpivot (
        select
            instagram_username as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(followers_count as double) as followers,
            cast(media_count as double) as media
        from {{ ref('stg_instagram__accounts') }}
        where is_active
    ) on followers, media into name metric value value
),

unioned as (
    select 'youtube' as platform, 'youtube_api' as source, 1 as source_priority, account_id, metric, observed_on, value_on, value, loaded_at, null as parser_quality from youtube_api
    union all
    select 'youtube', 'viewstats', 2, account_id, metric, observed_on, value_on, value, loaded_at, null from viewstats
    union all
    select 'youtube', 'socialblade', 3, channel_id, metric, observed_on, observed_on, value, loaded_at, parser_quality
    from {{ ref('stg_socialblade__points') }}
    where metric in ('subscribers', 'views', 'videos') and value is not null
    union all
    select 'youtube', 'youniverse', 4, account_id, metric, observed_on, value_on, value, loaded_at, null from youniverse
    union all
    select 'spotify', 'spotify_api', 1, account_id, metric, observed_on, value_on, value, loaded_at, null from spotify_api
    union all
    select 'spotify', 'spotify_web', 1, spotify_artist_id, 'monthly_listeners', observed_on, observed_on,
        cast(monthly_listeners as double), loaded_at, null
    from {{ ref('stg_spotify_web__monthly_listeners') }}
    where monthly_listeners is not null
    union all
    select 'instagram', 'instagram_api', 1, account_id, metric, observed_on, value_on, value, loaded_at, null from instagram_api
),

final as (
    select
        accounts.artist_id,
        unioned.platform,
        unioned.metric,
        unioned.source,
        unioned.source_priority,
        unioned.account_id,
        unioned.observed_on,
        unioned.value_on,
        {{ week_ending('unioned.value_on') }} as week_at,
        unioned.value,
        case
            -- the scrapers flag series full / partial / irregular and points suspicious_drop
            when lower(unioned.parser_quality) in ('irregular', 'suspicious_drop') then 'degraded'
            when {{ is_rounded_source('unioned.metric', 'unioned.source') }} then 'rounded'
            else 'exact'
        end as quality,
        unioned.loaded_at
    from unioned
    inner join accounts
        on accounts.platform = unioned.platform
        and accounts.account_id = unioned.account_id
)

select * from final
