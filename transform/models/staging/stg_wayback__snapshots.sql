-- One archived Social Blade capture per URL and timestamp from completed loads.
with source as (
    {{ completed_source('raw_wayback', 'snapshots') }}
),

renamed as (
    select
        original_url,
        "timestamp" as wayback_timestamp,
        channel_id,
        urlkey,
        mimetype,
        statuscode as status_code,
        digest,
        length as length_bytes,
        coalesce(snapshot_at, try_strptime("timestamp", '%Y%m%d%H%M%S')) as snapshot_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by original_url, wayback_timestamp order by loaded_at desc, load_id desc) = 1
