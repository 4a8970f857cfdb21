{#- Why: subscriber counts are rounded to 3 significant figures by most sources (which ones,
    and since when: is_rounded in macros/metric_sources.sql, from the registry), so two readings
    that differ by one rounding step may hide a true change anywhere between 0 and two steps.
    This is the size of that step for the larger of two values; below 1,000 counts are exact
    integers, so no step. -#}
{% macro rounding_step(value_a, value_b) -%}
    case
        when greatest(abs({{ value_a }}), abs({{ value_b }})) >= 1000
            then power(10, floor(log10(greatest(abs({{ value_a }}), abs({{ value_b }})))) - 2)
        else 0
    end
{%- endmacro %}
