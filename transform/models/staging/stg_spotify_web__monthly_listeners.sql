-- Monthly listeners per Spotify artist per day read from the public artist page.
with source as (
    {{ completed_source('raw_spotify_web', 'monthly_listeners') }}
),

renamed as (
    select
        artist_id as spotify_artist_id,
        observed_on,
        monthly_listeners,
        page_url,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by spotify_artist_id, observed_on order by loaded_at desc, load_id desc) = 1
