-- The YouTube API's measurements in the observation contract: one row per channel, day and
-- metric. A channel absent from the answer (is_active false) measured nothing, and a hidden
-- subscriber count is no value.
with channels as (
    select * from {{ ref('stg_youtube__channels') }}
    where is_active
),

measured as (
    unpivot (
        select
            channel_id as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(case when not is_subscriber_count_hidden then subscriber_count end as double) as subscribers,
            cast(view_count as double) as views,
            cast(video_count as double) as videos
        from channels
    ) on subscribers, views, videos into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
