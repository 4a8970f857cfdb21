{#- A source's wide readings as the observation contract every metric source's observations
    model gives (account_id, metric, observed_on, value_on, value, is_degraded, loaded_at): one
    row per reading and metric, a null value being no observation.
      relation    the staging relation (or a subquery) holding one reading per row
      account_id  SQL naming the platform account measured
      metrics     metric name -> SQL giving its value (cast to double), in order
      value_on    SQL for the day the value describes (default: the day the source gives)
      where       which readings measured anything (default: all) -#}
{% macro observations_unpivoted(relation, account_id, metrics, value_on='observed_on', where='true') -%}
with measured as (
    unpivot (
        select
            {{ account_id }} as account_id, observed_on, {{ value_on }} as value_on, loaded_at,
            {%- for metric, value in metrics.items() %}
            cast({{ value }} as double) as {{ metric }}{{ "," if not loop.last }}
            {%- endfor %}
        from {{ relation }}
        where {{ where }}
    ) on {{ metrics.keys() | join(', ') }} into name metric value value
)

select account_id, metric, observed_on, value_on, value, false as is_degraded, loaded_at
from measured
{%- endmacro %}
