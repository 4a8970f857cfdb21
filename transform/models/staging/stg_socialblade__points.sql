-- One Social Blade chart point per channel, metric and day; metric names are normalised to the marts' vocabulary.
with source as (
    {{ completed_source('raw_socialblade', 'points') }}
),

renamed as (
    select
        channel_id,
        case lower(metric)
            when 'subs' then 'subscribers'
            when 'subscribers' then 'subscribers'
            when 'views' then 'views'
            when 'videos' then 'videos'
            when 'uploads' then 'videos'
            else lower(metric)
        end as metric,
        observed_on,
        value,
        snapshot_timestamp,
        snapshot_url,
        parser,
        quality as parser_quality,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by channel_id, metric, observed_on order by loaded_at desc, load_id desc) = 1
