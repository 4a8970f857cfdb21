-- One row per Spotify artist per collection day from completed loads.
with source as (
    {{ completed_source('raw_spotify', 'artists') }}
),

renamed as (
    select
        artist_id as spotify_artist_id,
        observed_on,
        name as artist_name,
        followers,
        popularity,
        genres as genres_json,
        is_active,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by spotify_artist_id, observed_on order by loaded_at desc, load_id desc) = 1
