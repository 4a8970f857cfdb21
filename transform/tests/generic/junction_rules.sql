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

{#- A junction broken for most channels is systemic (a source changed units, a parser broke):
    attached with severity error to junction_report, which fct_metrics reads, it makes dbt build
    skip every series mart (fct_metrics, fct_growth, fct_anomalies, ...), and in Dagster it is a
    check on marts/junction_report. One test judges every junction the registry declares, so a
    new hand-over is covered without a new test: it returns one row per junction that fails for
    more than max_failed_share of the channels it applies to and for at least
    min_failed_channels of them (one odd channel in a three-artist watchlist is a finding, not a
    systemic break). -#}
{% test junctions_hold_for_most_channels(model, max_failed_share=0.2, min_failed_channels=3) %}
select
    junction,
    count(*) filter (where not passed) as failed_channels,
    count(*) as channels
from {{ model }}
group by junction
having count(*) filter (where not passed) >= {{ min_failed_channels }}
    and count(*) filter (where not passed) > {{ max_failed_share }} * count(*)
{% endtest %}
