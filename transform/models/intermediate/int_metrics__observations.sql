-- Every real measurement from every registered source as one long table (artist × platform ×
-- metric × source × day), so precedence, weekly alignment, junctions and coverage all start from
-- the same rows. value_on is the day the value describes.
-- The sources are the registry's (vars.metric_sources in dbt_project.yml): each one's
-- observations model gives the observation contract (account_id, metric, observed_on, value_on,
-- value, is_degraded, loaded_at) and this union adds what the registry says about it: platform,
-- name, precedence and rounding, as literals, so a reader filtering on source drops whole
-- branches (YouNiverse's above all) before reading them. A new source needs no edit here.
-- A view: at full scale these are 226 M rows (YouNiverse's 75 M channel-weeks × 3 metrics) that
-- every reader filters by source or by week; writing them once would cost more than all reads.
{{ config(materialized='view') }}
with accounts as (
    select * from {{ ref('int_artists__accounts') }}
),

unioned as (
    {%- for entry in metric_sources() %}
    select
        '{{ entry.platform }}' as platform,
        '{{ entry.source }}' as source,
        {{ entry.precedence }} as source_priority,
        account_id,
        metric,
        observed_on,
        value_on,
        cast(value as double) as value,
        case
            when is_degraded then 'degraded'
            when {{ is_rounded_by(entry, 'metric', 'value_on') }} then 'rounded'
            else 'exact'
        end as quality,
        loaded_at
    from {{ ref(entry.observations_model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        accounts.artist_id,
        unioned.platform,
        unioned.metric,
        unioned.source,
        unioned.source_priority,
        unioned.account_id,
        unioned.observed_on,
        unioned.value_on,
        {{ week_ending('unioned.value_on') }} as week_at,
        unioned.value,
        unioned.quality,
        unioned.loaded_at
    from unioned
    inner join accounts
        on accounts.platform = unioned.platform
        and accounts.account_id = unioned.account_id
)

select * from final
