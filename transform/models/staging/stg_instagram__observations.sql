-- Instagram business accounts' measurements in the observation contract: followers and media
-- per account and day; an account business discovery no longer finds measured nothing.
with measured as (
    unpivot (
        select
            instagram_username as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(followers_count as double) as followers,
            cast(media_count as double) as media
        from {{ ref('stg_instagram__accounts') }}
        where is_active
    ) on followers, media into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
