{#- The span summary of int_metrics__source_spans over any set of observations (all of them
    on a full build; new or re-read ones on an incremental run), so both paths share one formula. -#}
{% macro summarize_source_spans(observations) %}
    select
        artist_id, platform, account_id, source,
        min(value_on) as first_on,
        max(value_on) as last_on,
        min(value_on) filter (where metric in ('subscribers', 'views')) as headline_first_on,
        max(value_on) filter (where metric in ('subscribers', 'views')) as headline_last_on,
        count(distinct value_on) as observation_days,
        count(distinct week_at) as weeks_covered,
        count(*) = count(distinct value_on) * count(distinct metric) as has_every_metric,
        max(week_at) as last_week_at,
        min(week_at) as first_week_at,
        max(loaded_at) as loaded_at
    from {{ observations }}
    group by artist_id, platform, account_id, source
{%- endmacro %}
