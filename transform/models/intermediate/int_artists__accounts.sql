-- Identity resolution: every platform account seen anywhere belongs to exactly one artist.
-- Watchlisted accounts take the watchlist's artist_id; any other account is its own artist
-- with a stable id derived from the account (yt_<channel_id>, sp_<artist_id>, ig_<username>),
-- so a YouNiverse-only channel still has a history without anyone curating it.
with watchlist as (
    select * from {{ ref('int_artists__watchlist') }}
),

youtube_seen as (
    select channel_id as account_id from {{ ref('stg_youtube__channels') }}
    union
    select channel_id from {{ ref('stg_viewstats__weekly') }}
    union
    select channel_id from {{ ref('stg_socialblade__points') }}
    union
    select channel_id from {{ ref('stg_youniverse__channels') }}
    union
    select channel_id from {{ ref('stg_youniverse__timeseries') }}
),

spotify_seen as (
    select spotify_artist_id as account_id from {{ ref('stg_spotify__artists') }}
    union
    select spotify_artist_id from {{ ref('stg_spotify_web__monthly_listeners') }}
),

instagram_seen as (
    select instagram_username as account_id from {{ ref('stg_instagram__accounts') }}
),

watchlisted as (
    select artist_id, 'youtube' as platform, youtube_channel_id as account_id from watchlist where youtube_channel_id is not null
    union all
    select artist_id, 'spotify', spotify_artist_id from watchlist where spotify_artist_id is not null
    union all
    select artist_id, 'instagram', instagram_username from watchlist where instagram_username is not null
),

seen as (
    select 'youtube' as platform, account_id, 'yt_' as prefix from youtube_seen
    union all
    select 'spotify', account_id, 'sp_' from spotify_seen
    union all
    select 'instagram', account_id, 'ig_' from instagram_seen
),

unlisted as (
    select
        seen.prefix || seen.account_id as artist_id,
        seen.platform,
        seen.account_id
    from seen
    anti join watchlisted
        on watchlisted.platform = seen.platform
        and watchlisted.account_id = seen.account_id
    where seen.account_id is not null
),

final as (
    select artist_id, platform, account_id, true as is_watchlisted from watchlisted
    union all
    select artist_id, platform, account_id, false as is_watchlisted from unlisted
)

select * from final
