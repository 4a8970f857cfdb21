{#- A suspicious subscriber drop: more than 10 % lost between two consecutive Sunday weeks (the
    enrichment spec's series rule). The one place the rule is written: source_coverage and
    int_youniverse__subscriber_drops both count with it. -#}
{% macro suspicious_drop(value, previous_value, days_apart) -%}
    ({{ previous_value }} > 0 and {{ days_apart }} = 7 and {{ value }} < 0.9 * {{ previous_value }})
{%- endmacro %}
