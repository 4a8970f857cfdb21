-- Day-level readings of the sources collected daily (the live APIs and Spotify pages), for
-- 1-day growth: the weekly history sources never give two consecutive days reliably.
with observations as (
    select * from {{ ref('int_metrics__observations') }}
    where source in ('youtube_api', 'spotify_api', 'spotify_web', 'instagram_api')
)

select
    artist_id,
    platform,
    metric,
    value_on as observed_at,
    value,
    source,
    quality,
    loaded_at
from observations
qualify row_number() over (
    partition by artist_id, platform, metric, value_on
    order by source_priority, observed_on, account_id
) = 1
