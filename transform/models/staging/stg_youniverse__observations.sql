-- YouNiverse's weekly history in the observation contract. Its rows are dated on Mondays and
-- give the value at the close of the Sunday before (value_on). A view over the typed scan of
-- raw: at full scale 75 M channel-weeks, never sorted or stored again.
with measured as (
    unpivot (
        select
            channel_id as account_id, observed_on, {{ youniverse_value_on('observed_on') }} as value_on, loaded_at,
            subscribers, views, videos
        from {{ ref('stg_youniverse__timeseries') }}
    ) on subscribers, views, videos into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
