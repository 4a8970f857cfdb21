-- When each source first and last measured each account, and on how many days and weeks: the
-- summaries that junctions (int_junctions__endpoints), coverage (source_coverage) and
-- dim_artists read, so none of them re-aggregates every observation (226 M at full scale).
-- headline_first_on / headline_last_on count only the metrics junctions are judged on
-- (subscribers and views).
-- Why YouNiverse apart: its 75 M rows are one reading per channel and week, so a plain count
-- per channel (one pass over staging, before mapping channels to artists) gives its days and
-- weeks; counting distinct days over its 226 M unpivoted observations takes 25 times longer.
-- Incremental: a span whose new readings all come after its last day is extended (counts add
-- up, a week already counted is not counted twice); any other change (a back-fill, a reload of
-- old days) recomputes that span from all of its observations.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['artist_id', 'platform', 'account_id', 'source'],
        on_schema_change='fail'
    )
}}
{%- set watermark = newest_loaded_at() %}
{%- set since = earliest_changed(ref('int_metrics__observations'), 'value_on', watermark, where="source <> 'youniverse'") %}
{%- set key = 'artist_id, platform, account_id, source' %}



{%- set other_sources = "(select * from " ~ ref('int_metrics__observations') ~ " where source <> 'youniverse')" %}
with youniverse as (
    select
        accounts.artist_id,
        'youtube' as platform,
        per_channel.account_id,
        'youniverse' as source,
        per_channel.first_on,
        per_channel.last_on,
        per_channel.headline_first_on,
        per_channel.headline_last_on,
        per_channel.observation_days,
        per_channel.observation_days as weeks_covered,
        per_channel.has_every_metric,
        {{ week_ending('per_channel.last_on') }} as last_week_at,
        {{ week_ending('per_channel.first_on') }} as first_week_at,
        per_channel.loaded_at
    from (
        select
            channel_id as account_id,
            min({{ youniverse_value_on('observed_on') }}) as first_on,
            max({{ youniverse_value_on('observed_on') }}) as last_on,
            min({{ youniverse_value_on('observed_on') }}) filter (where subscribers is not null or views is not null) as headline_first_on,
            max({{ youniverse_value_on('observed_on') }}) filter (where subscribers is not null or views is not null) as headline_last_on,
            count(*) filter (where subscribers is not null or views is not null or videos is not null) as observation_days,
            count(subscribers) = count(*) and count(views) = count(*) and count(videos) = count(*) as has_every_metric,
            max(loaded_at) as loaded_at
        from {{ ref('stg_youniverse__timeseries') }}
        group by channel_id
        {% if is_incremental() %}
        -- channels with a new load are summarized again whole: one pass over raw costs < 1 s.
        having max(loaded_at) > {{ watermark }}
        {% endif %}
    ) as per_channel
    inner join {{ ref('int_artists__accounts') }} as accounts
        on accounts.platform = 'youtube' and accounts.account_id = per_channel.account_id
),

{% if is_incremental() %}
new_spans as (
    {{ summarize_source_spans("(select * from " ~ other_sources ~ " where observed_on >= " ~ since ~ " and loaded_at > " ~ watermark ~ ")") }}
),

held as (
    select held.*
    from {{ this }} as held
    semi join new_spans using ({{ key }})
),

extended as (
    select
        {{ key }},
        held.first_on,
        new_spans.last_on,
        coalesce(held.headline_first_on, new_spans.headline_first_on) as headline_first_on,
        coalesce(new_spans.headline_last_on, held.headline_last_on) as headline_last_on,
        held.observation_days + new_spans.observation_days as observation_days,
        held.weeks_covered + new_spans.weeks_covered
            - case when new_spans.first_week_at = held.last_week_at then 1 else 0 end as weeks_covered,
            held.has_every_metric and new_spans.has_every_metric as has_every_metric,
        new_spans.last_week_at,
        held.first_week_at,
        new_spans.loaded_at
    from new_spans
    inner join held using ({{ key }})
    where new_spans.first_on > held.last_on
),

recomputed as (
    {{ summarize_source_spans("(select o.* from " ~ other_sources ~ " as o semi join (select " ~ key ~ " from new_spans anti join extended using (" ~ key ~ ")) using (" ~ key ~ "))") }}
)

select * from extended
union all
select * from recomputed
union all
select * from youniverse
{% else %}
others as (
    {{ summarize_source_spans(other_sources) }}
)

select * from others
union all
select * from youniverse
{% endif %}
