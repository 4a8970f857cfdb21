-- The Spotify Web API's artist measurements in the observation contract: followers and
-- popularity per artist and day; an artist the answer left out measured nothing.
with measured as (
    unpivot (
        select
            spotify_artist_id as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(followers as double) as followers,
            cast(popularity as double) as popularity
        from {{ ref('stg_spotify__artists') }}
        where is_active
    ) on followers, popularity into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
