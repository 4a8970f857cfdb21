-- One YouNiverse weekly point per channel and date; the README itself shows duplicated rows, so de-duplicated here.
with source as (
    {{ completed_source('raw_youniverse', 'timeseries') }}
),

renamed as (
    select
        channel_id,
        observed_on,
        category,
        views,
        delta_views,
        subs as subscribers,
        delta_subs as delta_subscribers,
        videos,
        delta_videos,
        activity,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by channel_id, observed_on order by loaded_at desc, load_id desc) = 1
