-- One real value per artist × platform × metric × week (Sunday week_at). Where sources
-- overlap the higher-precedence one wins (youtube_api > viewstats > socialblade > youniverse);
-- within the winner, the observation closest to the Sunday close (the earliest of its week).
with observations as (
    select * from {{ ref('int_metrics__observations') }}
),

ranked as (
    select *
    from observations
    qualify row_number() over (
        partition by artist_id, platform, metric, week_at
        order by source_priority, value_on, observed_on, account_id
    ) = 1
)

select
    artist_id,
    platform,
    metric,
    week_at,
    value,
    source,
    quality,
    value_on as measured_on,
    loaded_at
from ranked
