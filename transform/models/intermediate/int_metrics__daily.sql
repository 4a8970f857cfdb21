-- Day-level readings of the sources the registry says are collected daily (the live APIs and
-- Spotify pages today), for 1-day growth: the weekly history sources never give two
-- consecutive days reliably.
with observations as (
    select * from {{ ref('int_metrics__observations') }}
    where source in {{ sql_list(metric_sources_with_cadence('daily')) }}
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
