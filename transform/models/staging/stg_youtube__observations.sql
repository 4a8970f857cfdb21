-- The YouTube API's measurements in the observation contract: one row per channel, day and
-- metric. A channel absent from the answer (is_active false) measured nothing, and a hidden
-- subscriber count is no value.
{{ observations_unpivoted(ref('stg_youtube__channels'), account_id='channel_id', where='is_active', metrics={
    'subscribers': 'case when not is_subscriber_count_hidden then subscriber_count end',
    'views': 'view_count',
    'videos': 'video_count',
}) }}
