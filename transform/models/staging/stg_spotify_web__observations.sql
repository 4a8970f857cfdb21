-- Monthly listeners from the public artist pages in the observation contract.
{{ observations_unpivoted(ref('stg_spotify_web__monthly_listeners'), account_id='spotify_artist_id',
    metrics={'monthly_listeners': 'monthly_listeners'}) }}
