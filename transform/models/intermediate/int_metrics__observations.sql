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

-- Each source joins the accounts in its own branch, not the union of them all: DuckDB passes a
-- join's filter on the accounts (one artist: its channel ids) down to the source's scan only
-- through a plain join, not through a union. So one artist's series (the API's
-- /v1/artists/{id}/metrics?from=...) reads its channel's YouNiverse rows, not all 75 M of them.
final as (
    {%- for entry in metric_sources() %}
    select
        accounts.artist_id,
        '{{ entry.platform }}' as platform,
        observations.metric,
        '{{ entry.source }}' as source,
        {{ entry.precedence }} as source_priority,
        observations.account_id,
        observations.observed_on,
        observations.value_on,
        {{ week_ending('observations.value_on') }} as week_at,
        cast(observations.value as double) as value,
        case
            when observations.is_degraded then 'degraded'
            when {{ is_rounded_by(entry, 'observations.metric', 'observations.value_on') }} then 'rounded'
            else 'exact'
        end as quality,
        observations.loaded_at
    from {{ ref(entry.observations_model) }} as observations
    inner join accounts
        on accounts.platform = '{{ entry.platform }}'
        and accounts.account_id = observations.account_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
