{#- Why one macro: every source is aligned to the same Sunday week boundary.
    A value observed on day d belongs to the week that closed on the last Sunday on
    or before d (DuckDB's dayofweek: Sunday = 0), so YouNiverse's Monday rows land on
    the Sunday before, and a Sunday observation on itself. -#}
{% macro week_ending(date_expr) -%}
    (cast({{ date_expr }} as date) - cast(dayofweek(cast({{ date_expr }} as date)) as integer))
{%- endmacro %}
