-- One YouNiverse channel row per channel id from completed loads.
with source as (
    {{ completed_source('raw_youniverse', 'channels') }}
),

renamed as (
    select
        channel_id,
        category,
        join_date as joined_on,
        name as channel_name,
        subscribers_cc,
        videos_cc,
        subscriber_rank_sb,
        weights as sampling_weight,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by channel_id order by loaded_at desc, load_id desc) = 1
