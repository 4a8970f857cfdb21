{#- An account has at most one row per Sunday week (week_ending) of the day its values describe
    (`value_on`, SQL over the model's columns). Implies one row per account and day, and is what
    int_metrics__weekly relies on when it passes a source's weeks through unranked. -#}
{% test one_row_per_week(model, account_column, value_on) %}
select {{ account_column }}, {{ week_ending(value_on) }} as week_at, count(*) as rows_in_this_week
from {{ model }}
group by all
having count(*) > 1
{% endtest %}
