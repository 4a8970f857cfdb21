-- The Spotify Web API's artist measurements in the observation contract: followers and
-- popularity per artist and day; an artist the answer left out measured nothing.
{{ observations_unpivoted(ref('stg_spotify__artists'), account_id='spotify_artist_id', where='is_active',
    metrics={'followers': 'followers', 'popularity': 'popularity'}) }}
