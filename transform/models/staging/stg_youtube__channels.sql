-- One row per channel per collection day from completed loads; a re-collected day keeps its newest load.
with source as (
    {{ completed_source('raw_youtube', 'channels') }}
),

renamed as (
    select
        channel_id,
        observed_on,
        title as channel_title,
        custom_url,
        upper(country) as country,
        published_at,
        subscriber_count,
        view_count,
        video_count,
        coalesce(hidden_subscriber_count, false) as is_subscriber_count_hidden,
        privacy_status,
        is_active,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by channel_id, observed_on order by loaded_at desc, load_id desc) = 1
