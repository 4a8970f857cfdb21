-- Every Spotify release per credited artist (one row per artist × album), with its tracks
-- counted, so growth can be read against release activity. Only artists known to the
-- warehouse (watchlist or collected) are kept; other credited artists stay in artist_ids_json.
with albums as (
    select * from {{ ref('stg_spotify__albums') }}
),

tracks as (
    select album_id, count(*) as tracks_collected, sum(duration_ms) as duration_ms, bool_or(is_explicit) as has_explicit_tracks
    from {{ ref('stg_spotify__tracks') }}
    group by album_id
),

credits as (
    select albums.album_id, unnest(json_extract_string(albums.artist_ids_json, '$[*]')) as spotify_artist_id
    from albums
    union
    select album_id, primary_artist_id from albums where primary_artist_id is not null
),

accounts as (
    select artist_id, account_id as spotify_artist_id
    from {{ ref('int_artists__accounts') }}
    where platform = 'spotify'
)

select
    accounts.artist_id,
    albums.album_id,
    albums.album_name,
    albums.album_type,
    albums.released_on,
    albums.release_date_precision,
    {{ week_ending('albums.released_on') }} as release_week_at,
    credits.spotify_artist_id = albums.primary_artist_id as is_primary_artist,
    albums.total_tracks,
    coalesce(tracks.tracks_collected, 0) as tracks_collected,
    tracks.duration_ms,
    coalesce(tracks.has_explicit_tracks, false) as has_explicit_tracks
from credits
inner join albums on albums.album_id = credits.album_id
inner join accounts on accounts.spotify_artist_id = credits.spotify_artist_id
left join tracks on tracks.album_id = albums.album_id
