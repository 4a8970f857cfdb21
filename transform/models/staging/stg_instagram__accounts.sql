-- One row per Instagram account per collection day; usernames are case-insensitive, so lower-cased.
with source as (
    {{ completed_source('raw_instagram', 'accounts') }}
),

renamed as (
    select
        lower(username) as instagram_username,
        observed_on,
        ig_id,
        followers_count,
        media_count,
        is_active,
        collected_at,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
qualify row_number() over (partition by instagram_username, observed_on order by loaded_at desc, load_id desc) = 1
