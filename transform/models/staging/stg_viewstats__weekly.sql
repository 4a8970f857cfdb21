-- One ViewStats point per channel and date from completed loads.
with source as (
    {{ completed_source('raw_viewstats', 'weekly') }}
),

renamed as (
    select
        channel_id,
        observed_on,
        subscribers,
        views,
        longform_views,
        shorts_views,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by channel_id, observed_on order by loaded_at desc, load_id desc) = 1
