-- ViewStats' measurements in the observation contract: one row per channel, week and metric,
-- the longform / Shorts split included.
with measured as (
    unpivot (
        select
            channel_id as account_id, observed_on, observed_on as value_on, loaded_at,
            cast(subscribers as double) as subscribers,
            cast(views as double) as views,
            cast(longform_views as double) as longform_views,
            cast(shorts_views as double) as shorts_views
        from {{ ref('stg_viewstats__weekly') }}
    ) on subscribers, views, longform_views, shorts_views into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
