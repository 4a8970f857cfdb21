{#- The enrichment spec's junction rules as dbt tests on junction_report, so a broken
    hand-over between history sources surfaces in dbt build and as a Dagster asset check.
    Configure them with severity warn: a failing junction is a fact about the data to
    investigate, not a reason to stop publishing the marts. -#}

{#- Gap between the older source's last point and the newer one's first, in days. -#}
{% test junction_gap_at_most(model, column_name, max_days=14) %}
select * from {{ model }} where {{ column_name }} > {{ max_days }}
{% endtest %}

{#- Implied daily growth across a junction, in percent per day, either direction. -#}
{% test junction_daily_growth_at_most(model, column_name, max_pct) %}
select * from {{ model }} where abs({{ column_name }}) > {{ max_pct }}
{% endtest %}

{#- ViewStats' longform + shorts against total views, in percent. -#}
{% test junction_split_within(model, column_name, max_pct=5) %}
select * from {{ model }} where {{ column_name }} > {{ max_pct }}
{% endtest %}

{#- passed must be exactly "no rule broken": guards the verdict against drifting from the measures. -#}
{% test junction_verdict_matches_rules(model, column_name) %}
select * from {{ model }}
where {{ column_name }} <> (
    older_last_at is not null and newer_first_at is not null
    and coalesce(gap_days, 0) <= 14
    and coalesce(abs(subscribers_daily_growth_pct), 0) <= 5
    and coalesce(abs(views_daily_growth_pct), 0) <= 10
    and coalesce(split_diff_pct, 0) <= 5
)
{% endtest %}
