-- Social Blade's chart points in the observation contract. A point the scraper flagged
-- irregular (the series' cadence) or suspicious_drop (the point itself) is kept, degraded.
select
    channel_id as account_id,
    metric,
    observed_on,
    observed_on as value_on,
    value,
    coalesce(lower(parser_quality) in ('irregular', 'suspicious_drop'), false) as is_degraded,
    loaded_at
from {{ ref('stg_socialblade__points') }}
where metric in ('subscribers', 'views', 'videos') and value is not null
