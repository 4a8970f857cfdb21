-- One row per artist with every platform account, a display name, country, category and a
-- status read from the live APIs:
--   active      present in the latest API answer of at least one platform;
--   inactive    asked for but absent from the latest answer of every platform asked
--               (or never asked: history-only channels, e.g. YouNiverse);
--   terminated  absent from every API answer for more than 28 days after once being seen.
with accounts as (
    select * from {{ ref('int_artists__accounts') }}
),

watchlist as (
    select * from {{ ref('int_artists__watchlist') }}
),

artists as (
    select artist_id from accounts
    union
    select artist_id from watchlist
),

ids as (
    select
        artists.artist_id,
        max(accounts.account_id) filter (where accounts.platform = 'youtube') as youtube_channel_id,
        max(accounts.account_id) filter (where accounts.platform = 'spotify') as spotify_artist_id,
        max(accounts.account_id) filter (where accounts.platform = 'instagram') as instagram_username
    from artists
    left join accounts on accounts.artist_id = artists.artist_id
    group by artists.artist_id
),

latest_youtube as (
    select channel_id, channel_title, country, observed_on, is_active
    from {{ ref('stg_youtube__channels') }}
    qualify row_number() over (partition by channel_id order by observed_on desc) = 1
),

youtube_country as (
    select channel_id, country
    from {{ ref('stg_youtube__channels') }}
    where country is not null
    qualify row_number() over (partition by channel_id order by observed_on desc) = 1
),

latest_spotify as (
    select spotify_artist_id, artist_name, observed_on, is_active
    from {{ ref('stg_spotify__artists') }}
    qualify row_number() over (partition by spotify_artist_id order by observed_on desc) = 1
),

latest_instagram as (
    select instagram_username, observed_on, is_active
    from {{ ref('stg_instagram__accounts') }}
    qualify row_number() over (partition by instagram_username order by observed_on desc) = 1
),

api_answers as (
    select 'youtube' as platform, channel_id as account_id, observed_on, is_active from {{ ref('stg_youtube__channels') }}
    union all
    select 'spotify', spotify_artist_id, observed_on, is_active from {{ ref('stg_spotify__artists') }}
    union all
    select 'instagram', instagram_username, observed_on, is_active from {{ ref('stg_instagram__accounts') }}
),

-- Per account: its latest API answer and the last day it was seen active.
account_status as (
    select
        accounts.artist_id,
        accounts.platform,
        latest.is_active,
        latest.observed_on as latest_answer_on,
        seen.last_active_on
    from accounts
    inner join (
        select platform, account_id, observed_on, is_active
        from api_answers
        qualify row_number() over (partition by platform, account_id order by observed_on desc) = 1
    ) as latest
        on latest.platform = accounts.platform and latest.account_id = accounts.account_id
    left join (
        select platform, account_id, max(observed_on) filter (where is_active) as last_active_on
        from api_answers
        group by platform, account_id
    ) as seen
        on seen.platform = accounts.platform and seen.account_id = accounts.account_id
),

api_status as (
    select
        artist_id,
        bool_or(is_active) as is_active_anywhere,
        max(latest_answer_on) as latest_answer_on,
        max(last_active_on) as last_active_on
    from account_status
    group by artist_id
),

-- The same rule per platform, so a terminated YouTube channel shows even when the artist is
-- still active on Spotify; null when the platform was never asked.
platform_statuses as (
    select
        artist_id,
        max({{ api_status('is_active', 'latest_answer_on', 'last_active_on') }}) filter (where platform = 'youtube') as youtube_status,
        max({{ api_status('is_active', 'latest_answer_on', 'last_active_on') }}) filter (where platform = 'spotify') as spotify_status,
        max({{ api_status('is_active', 'latest_answer_on', 'last_active_on') }}) filter (where platform = 'instagram') as instagram_status
    from account_status
    group by artist_id
),

youniverse as (
    select channel_id, channel_name, category from {{ ref('stg_youniverse__channels') }}
),

seen_range as (
    select artist_id, min(first_on) as first_seen_on, max(last_on) as last_seen_on
    from {{ ref('int_metrics__source_spans') }}
    group by artist_id
),

final as (
    select
        ids.artist_id,
        coalesce(
            watchlist.artist_name, latest_youtube.channel_title, youniverse.channel_name,
            latest_spotify.artist_name, ids.instagram_username, ids.artist_id
        ) as artist_name,
        ids.youtube_channel_id,
        ids.spotify_artist_id,
        ids.instagram_username,
        youtube_country.country,
        youniverse.category,
        {{ api_status('api_status.is_active_anywhere', 'api_status.latest_answer_on', 'api_status.last_active_on') }} as status,
        platform_statuses.youtube_status,
        platform_statuses.spotify_status,
        platform_statuses.instagram_status,
        watchlist.artist_id is not null as is_watchlisted,
        seen_range.first_seen_on as first_seen_at,
        seen_range.last_seen_on as last_seen_at
    from ids
    left join watchlist on watchlist.artist_id = ids.artist_id
    left join latest_youtube on latest_youtube.channel_id = ids.youtube_channel_id
    left join youtube_country on youtube_country.channel_id = ids.youtube_channel_id
    left join latest_spotify on latest_spotify.spotify_artist_id = ids.spotify_artist_id
    left join youniverse on youniverse.channel_id = ids.youtube_channel_id
    left join api_status on api_status.artist_id = ids.artist_id
    left join platform_statuses on platform_statuses.artist_id = ids.artist_id
    left join seen_range on seen_range.artist_id = ids.artist_id
)

-- Stored in artist_id order: one artist's row (every per-artist API read starts with it) is one
-- row group away, DuckDB skipping the others by their min/max, and a page in artist_id order
-- reads the first row groups.
select * from final
order by artist_id
