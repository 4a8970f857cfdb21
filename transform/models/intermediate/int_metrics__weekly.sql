-- One real value per artist × platform × metric × week (Sunday week_at): the ranked winners
-- of int_metrics__weekly_ranked plus every YouNiverse week no other source measured.
-- A view: at full scale these are 226 M rows, and the YouNiverse part is a typed scan of raw
-- plus a hash anti-join against the (small) ranked table, cheaper to read than to store.
-- That shortcut is right only while YouNiverse has the lowest precedence of its platform in the
-- registry, so compiling fails if another source is registered below it.
{{ config(materialized='view') }}
{%- set bulk = metric_sources() | selectattr('source', 'equalto', 'youniverse') | list %}
{%- for entry in metric_sources() if bulk and entry.platform == bulk[0].platform and entry.source != 'youniverse' and entry.precedence >= bulk[0].precedence %}
    {{ exceptions.raise_compiler_error("metric source " ~ entry.source ~ " has precedence " ~ entry.precedence ~ ", not above YouNiverse's " ~ bulk[0].precedence ~ ": YouNiverse must stay the lowest (int_metrics__weekly passes its weeks through unranked)") }}
{%- endfor %}
with ranked as (
    select * from {{ ref('int_metrics__weekly_ranked') }}
),

youniverse_only as (
    select
        observations.artist_id,
        observations.platform,
        observations.metric,
        observations.week_at,
        observations.value,
        observations.source,
        observations.quality,
        observations.value_on as measured_on,
        observations.loaded_at
    from {{ ref('int_metrics__observations') }} as observations
    anti join ranked
        on ranked.artist_id = observations.artist_id
        and ranked.platform = observations.platform
        and ranked.metric = observations.metric
        and ranked.week_at = observations.week_at
    -- An artist with several channels has all of its YouNiverse weeks in ranked already.
    where observations.source = 'youniverse'
)

select * from ranked
union all
select * from youniverse_only
