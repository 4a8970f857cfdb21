{#- Incremental models read only what changed, bounded by constants rendered at run time.
    Why constants and not subqueries: DuckDB skips whole row groups by their min/max
    (zonemaps) only for filters against literals, so "week_at >= date '2026-11-15'" reads the
    newly appended row groups of a 75 M-row table, while the same bound as a subquery scans
    all of them. On a full build both macros return an open bound and nothing is filtered. -#}

{#- The newest loaded_at already reflected in this model: rows loaded after it are new. -#}
{% macro newest_loaded_at() -%}
    {%- if execute and is_incremental() -%}
        {%- set value = run_query("select cast(max(loaded_at) as varchar) from " ~ this).columns[0].values()[0] -%}
        {%- if value is not none -%}
            {{- return("cast('" ~ value ~ "' as timestamptz)") -}}
        {%- endif -%}
    {%- endif -%}
    {{- return("cast('-infinity' as timestamptz)") -}}
{%- endmacro %}

{#- The earliest value of date_column among rows of relation loaded after `watermark` (and
    matching `where`, the rows the model reads), as a date literal; '9999-12-31' when nothing
    is new, '-infinity' on a full build. -#}
{% macro earliest_changed(relation, date_column, watermark, where='true') -%}
    {%- if execute and is_incremental() -%}
        {%- set query -%}
            select cast(min({{ date_column }}) as varchar)
            from {{ relation }} where loaded_at > {{ watermark }} and ({{ where }})
        {%- endset -%}
        {%- set value = run_query(query).columns[0].values()[0] -%}
        {{- return("cast('" ~ (value if value is not none else '9999-12-31') ~ "' as date)") -}}
    {%- endif -%}
    {{- return("cast('-infinity' as date)") -}}
{%- endmacro %}

{#- The first as_of fct_growth keeps: var('growth_history_weeks') weeks before the newest
    weekly point (read from the small int_metrics__source_spans, which the calling model must
    declare with a depends_on comment), or '-infinity' when the var is empty (every as_of). -#}
{% macro growth_history_start() -%}
    {%- set weeks = var('growth_history_weeks') -%}
    {%- if execute and weeks not in (none, '', 'none', 'null') -%}
        {%- set newest = run_query("select cast(max(last_week_at) as varchar) from " ~ ref('int_metrics__source_spans')).columns[0].values()[0] -%}
        {%- if newest is not none -%}
            {{- return("(cast('" ~ newest ~ "' as date) - " ~ (weeks | int) * 7 ~ ")") -}}
        {%- endif -%}
    {%- endif -%}
    {{- return("cast('-infinity' as date)") -}}
{%- endmacro %}
