-- One row per track from completed loads.
with source as (
    {{ completed_source('raw_spotify', 'tracks') }}
),

renamed as (
    select
        track_id,
        album_id,
        name as track_name,
        track_number,
        disc_number,
        duration_ms,
        explicit as is_explicit,
        artist_ids as artist_ids_json,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by track_id order by loaded_at desc, load_id desc) = 1
