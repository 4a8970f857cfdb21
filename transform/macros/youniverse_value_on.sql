{#- Why one macro: YouNiverse dates its weekly rows on Mondays, and a Monday row gives the
    value at the close of the Sunday before. Every model reading YouNiverse dates uses this. -#}
{% macro youniverse_value_on(observed_on) -%}
    ({{ observed_on }} - 1)
{%- endmacro %}
