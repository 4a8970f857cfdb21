-- The winning value of every artist × platform × metric × week that a source other than
-- YouNiverse measured (or that several YouTube channels of one artist measured): where sources
-- overlap the higher-precedence one wins (the registry's source_priority: youtube_api >
-- viewstats > socialblade > youniverse today);
-- within the winner, the observation closest to the Sunday close (the earliest of its week).
-- int_metrics__weekly adds the YouNiverse weeks nobody else measured. Why apart: YouNiverse is
-- nearly every row (75 M channel-weeks at full scale) with the lowest precedence and one
-- Monday per channel and week, so its weeks need no ranking, only a check that no ranked
-- source holds them; sorting ten years of history to rank it would dominate every build.
-- Incremental: only the artist × platform × metric × weeks that received a newly loaded
-- observation are recomputed (from all of their observations) and replaced.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['artist_id', 'platform', 'metric', 'week_at'],
        on_schema_change='fail'
    )
}}
{%- set watermark = newest_loaded_at() %}
{#- Artists with several YouTube channels are rare (a run-time check, so their YouNiverse rows are
    ranked too when there are any, and the 226 M YouNiverse rows are not even read when not). -#}
{%- set multi_channel_sql -%}
    select artist_id
    from {{ ref('int_artists__accounts') }}
    where platform = 'youtube'
    group by artist_id
    having count(*) > 1
{%- endset %}
{%- set has_multi_channel_artists = execute and (run_query(multi_channel_sql ~ " limit 1") | length) > 0 %}
{%- set since = earliest_changed(ref('int_metrics__observations'), 'week_at', watermark,
        where="source <> 'youniverse'" if not has_multi_channel_artists else 'true') %}
with observations as (
    select *
    from {{ ref('int_metrics__observations') }}
    -- observed_on >= week_at for every source, so this bound (on a stored column) keeps every
    -- row of the changed weeks and lets DuckDB skip the row groups of untouched history.
    where observed_on >= {{ since }} and week_at >= {{ since }}
),

contested as (
    select * from observations where source <> 'youniverse'
    {% if has_multi_channel_artists %}
    union all
    select * from observations
    where source = 'youniverse' and artist_id in ({{ multi_channel_sql }})
    {% endif %}
),

changed as (
    select * from contested
    {% if is_incremental() %}
    semi join (
        select distinct artist_id, platform, metric, week_at from contested where loaded_at > {{ watermark }}
    ) as new_weeks
        using (artist_id, platform, metric, week_at)
    {% endif %}
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
from changed
qualify row_number() over (
    partition by artist_id, platform, metric, week_at
    order by source_priority, value_on, observed_on, account_id
) = 1
