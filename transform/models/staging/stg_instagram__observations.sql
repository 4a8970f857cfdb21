-- Instagram business accounts' measurements in the observation contract: followers and media
-- per account and day; an account business discovery no longer finds measured nothing.
{{ observations_unpivoted(ref('stg_instagram__accounts'), account_id='instagram_username', where='is_active',
    metrics={'followers': 'followers_count', 'media': 'media_count'}) }}
