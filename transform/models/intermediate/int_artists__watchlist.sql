-- The watchlist is a user setting (URATED_ARTISTS, see urated/settings.py), not a seed:
-- users edit a CSV and the next build picks it up. Materialised as a table so every model
-- of one build sees the same list. Blank cells mean "no account on that platform".
-- There is no default list: a build without URATED_ARTISTS stops here and names it (parsing,
-- compiling and the docs site do without, so they never need a watchlist).
{%- set watchlist_csv = var("urated_watchlist", env_var("URATED_ARTISTS", "")) %}
{%- if execute and not watchlist_csv and flags.WHICH in ("run", "build") %}
    {{ exceptions.raise_compiler_error(
        "URATED_ARTISTS is not set: export the path of your watchlist CSV (artist_id, artist_name, "
        ~ "youtube_channel_id, spotify_artist_id, instagram_username). `make demo` sets its own.") }}
{%- endif %}
with watchlist as (
    select *
    from read_csv(
        '{{ watchlist_csv }}',
        header = true,
        all_varchar = true
    )
),

cleaned as (
    select
        trim(artist_id) as artist_id,
        nullif(trim(artist_name), '') as artist_name,
        nullif(trim(youtube_channel_id), '') as youtube_channel_id,
        nullif(trim(spotify_artist_id), '') as spotify_artist_id,
        lower(nullif(trim(instagram_username), '')) as instagram_username
    from watchlist
    where nullif(trim(artist_id), '') is not null
)

select * from cleaned
