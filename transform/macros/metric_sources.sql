{#- The registry of metric sources (vars.metric_sources in dbt_project.yml, where every field is
    described; Python reads the same entries through urated/sources.py). Models render its facts
    as literals at compile time: a literal source, precedence or date lets DuckDB drop a union
    branch or skip row groups, where a join to a registry table would be evaluated on every row. -#}

{% macro metric_sources() -%}
    {{ return(var('metric_sources')) }}
{%- endmacro %}


{#- Names of the sources collected at `cadence` (daily or weekly). -#}
{% macro metric_sources_with_cadence(cadence) -%}
    {{ return(metric_sources() | selectattr('cadence', 'equalto', cadence) | map(attribute='source') | list) }}
{%- endmacro %}


{#- Every hand-over in declaration order: junction, junction_order, older_source, newer_source and
    split_source, the side that splits views into longform and Shorts (the newer when both do, none
    when neither does): its split is read at the junction, and judged where it is the newer. -#}
{% macro metric_source_junctions() -%}
    {%- set splitting = splitting_sources() -%}
    {%- set junctions = [] -%}
    {%- for older in metric_sources() if older.hands_over_to -%}
        {%- set split = older.hands_over_to if older.hands_over_to in splitting else (older.source if older.source in splitting else none) -%}
        {%- do junctions.append({'junction': older.junction, 'junction_order': junctions | length + 1,
                                 'older_source': older.source, 'newer_source': older.hands_over_to,
                                 'split_source': split}) -%}
    {%- endfor -%}
    {{ return(junctions) }}
{%- endmacro %}


{#- Sources that measure views split into longform_views and shorts_views. -#}
{% macro splitting_sources() -%}
    {%- set found = [] -%}
    {%- for s in metric_sources() if 'longform_views' in s.metrics and 'shorts_views' in s.metrics -%}
        {%- do found.append(s.source) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}


{#- Whether one registered source (an entry) published `metric` rounded on `day`: its rounding rule
    as SQL. -#}
{% macro is_rounded_by(entry, metric, day) -%}
    {%- if entry.rounded_metrics -%}
        ({{ metric }} in {{ sql_list(entry.rounded_metrics) }} and {{ day }} >= date '{{ entry.rounded_since }}')
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}


{#- Whether `source` (an SQL expression naming a source) published `metric` rounded on `day`.
    Sources sharing a rule are tested together, so a row costs one comparison per distinct rule. -#}
{% macro is_rounded(metric, source, day) -%}
    {%- set rules = {} -%}
    {%- for entry in metric_sources() if entry.rounded_metrics -%}
        {%- set rule = is_rounded_by(entry, metric, day) -%}
        {%- do rules.update({rule: rules.get(rule, []) + [entry.source]}) -%}
    {%- endfor -%}
    {%- set tests = [] -%}
    {%- for rule, names in rules.items() -%}
        {%- do tests.append("(" ~ source ~ " in " ~ sql_list(names) ~ " and " ~ rule ~ ")") -%}
    {%- endfor -%}
    ({{ tests | join(' or ') if tests else 'false' }})
{%- endmacro %}


{#- ('a', 'b') from a list of names; (null), which matches nothing, from an empty list. -#}
{% macro sql_list(names) -%}
    {%- if names -%}
    ({%- for name in names -%}'{{ name }}'{{ ", " if not loop.last }}{%- endfor -%})
    {%- else -%}
    (null)
    {%- endif -%}
{%- endmacro %}


{#- A value of the registry as an SQL literal of `data_type` (varchar, date, integer or
    varchar[]); null stays null. -#}
{% macro registry_literal(value, data_type) -%}
    {%- if value is none -%}
        cast(null as {{ data_type }})
    {%- elif data_type == 'varchar[]' -%}
        cast([{%- for item in value -%}'{{ item | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%}] as varchar[])
    {%- elif data_type == 'integer' -%}
        cast({{ value | int }} as integer)
    {%- else -%}
        cast('{{ value | string | replace("'", "''") }}' as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
