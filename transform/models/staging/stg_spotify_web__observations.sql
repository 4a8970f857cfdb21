-- Monthly listeners from the public artist pages in the observation contract.
select
    spotify_artist_id as account_id,
    'monthly_listeners' as metric,
    observed_on,
    observed_on as value_on,
    cast(monthly_listeners as double) as value,
    false as is_degraded,
    loaded_at
from {{ ref('stg_spotify_web__monthly_listeners') }}
where monthly_listeners is not null
