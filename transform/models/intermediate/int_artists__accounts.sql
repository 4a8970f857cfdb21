-- Identity resolution: every platform account seen anywhere belongs to exactly one artist.
-- Watchlisted accounts take the watchlist's artist_id; any other account is its own artist
-- with a stable id derived from the account (yt_<channel_id>, sp_<artist_id>, ig_<username>),
-- so a YouNiverse-only channel still has a history without anyone curating it.
with watchlist as (
    select * from {{ ref('int_artists__watchlist') }}
),

-- Every account a registered source measured (vars.metric_sources), every account an API
-- answered for (inactive ones too: their status needs them) and YouNiverse's channel list.
-- YouNiverse apart: its channel ids are read once from staging (75 M rows at full scale), where
-- its observations model would unpivot them into 226 M values first.
observed as (
    select 'youtube' as platform, channel_id as account_id from {{ ref('stg_youtube__channels') }}
    union
    select 'spotify', spotify_artist_id from {{ ref('stg_spotify__artists') }}
    union
    select 'instagram', instagram_username from {{ ref('stg_instagram__accounts') }}
    union
    select 'youtube', channel_id from {{ ref('stg_youniverse__channels') }}
    union
    select 'youtube', channel_id from {{ ref('stg_youniverse__timeseries') }}
    {%- for entry in metric_sources() if entry.source != 'youniverse' %}
    union
    select '{{ entry.platform }}', account_id from {{ ref(entry.observations_model) }}
    {%- endfor %}
),

watchlisted as (
    select artist_id, 'youtube' as platform, youtube_channel_id as account_id from watchlist where youtube_channel_id is not null
    union all
    select artist_id, 'spotify', spotify_artist_id from watchlist where spotify_artist_id is not null
    union all
    select artist_id, 'instagram', instagram_username from watchlist where instagram_username is not null
),

seen as (
    select
        platform,
        account_id,
        case platform when 'youtube' then 'yt_' when 'spotify' then 'sp_' when 'instagram' then 'ig_' end as prefix
    from observed
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
