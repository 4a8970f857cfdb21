-- One row per album; the text release date is cast to the first day it can mean (its precision is kept).
with source as (
    {{ completed_source('raw_spotify', 'albums') }}
),

renamed as (
    select
        album_id,
        name as album_name,
        album_type,
        release_date as release_date_text,
        release_date_precision,
        case release_date_precision
            when 'year' then try_cast(release_date || '-01-01' as date)
            when 'month' then try_cast(release_date || '-01' as date)
            else try_cast(left(release_date, 10) as date)
        end as released_on,
        total_tracks,
        primary_artist_id,
        artist_ids as artist_ids_json,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by album_id order by loaded_at desc, load_id desc) = 1
