{#- Why: subscriber counts after 2019-09 (every source but YouNiverse) are rounded to
    3 significant figures, so two readings that differ by one rounding step may hide
    a true change anywhere between 0 and two steps. This is the size of that step for
    the larger of two values; below 1,000 counts are exact integers, so no step. -#}
{% macro rounding_step(value_a, value_b) -%}
    case
        when greatest(abs({{ value_a }}), abs({{ value_b }})) >= 1000
            then power(10, floor(log10(greatest(abs({{ value_a }}), abs({{ value_b }})))) - 2)
        else 0
    end
{%- endmacro %}

{#- A source whose subscriber counts are rounded to 3 significant figures. -#}
{% macro is_rounded_source(metric, source) -%}
    ({{ metric }} = 'subscribers' and {{ source }} <> 'youniverse')
{%- endmacro %}
