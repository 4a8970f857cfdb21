{#-
  The only way staging reads a raw dlt table.

  Why: a run may load only one slice of the pipeline (say YouTube only), and dlt
  creates neither a table nor a column until it has seen a non-null value. Staging
  must still build, with the types declared in sources.yml, so this macro
  - selects every column declared for the source table, cast to its declared
    data_type, and null (typed) for a column dlt has not created yet;
  - falls back to an empty typed relation when the table or its _dlt_loads is missing;
  - keeps only rows of completed loads (_dlt_loads.status = 0), so a half-written
    load never reaches the marts, and adds _dlt_loaded_at: when that load completed
    (_dlt_loads.inserted_at), which orders re-loads and drives incremental models.
  source() is always called, so lineage (and Dagster's asset graph) stays complete.
  Relations are rendered without the database (catalog) name: staging is made of views,
  and a view naming the catalog "warehouse" breaks in a copy of the file under another
  name (the analysts' read-only copy, warehouse_read.duckdb).
-#}
{% macro completed_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set declared = declared_source_columns(source_name, table_name) -%}
    {%- if not execute -%}
        select 1 as parsing_only
    {%- else -%}
        {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- set loads = adapter.get_relation(database=relation.database, schema=relation.schema, identifier='_dlt_loads') -%}
        {%- if existing is none or loads is none %}
        select
            {%- for column in declared %}
            cast(null as {{ column.data_type }}) as {{ column.name }},
            {%- endfor %}
            cast(null as timestamp with time zone) as _dlt_loaded_at
        where false
        {%- else -%}
        {%- set present = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list %}
        select
            {%- for column in declared %}
            {%- if column.name | lower in present %}
            cast(raw.{{ adapter.quote(column.name) }} as {{ column.data_type }}) as {{ column.name }},
            {%- else %}
            cast(null as {{ column.data_type }}) as {{ column.name }},
            {%- endif %}
            {%- endfor %}
            completed.inserted_at as _dlt_loaded_at
        from {{ existing.include(database=false) }} as raw
        inner join (
            select load_id, max(inserted_at) as inserted_at
            from {{ loads.include(database=false) }}
            where status = 0
            group by load_id
        ) as completed
            on completed.load_id = raw._dlt_load_id
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- The columns sources.yml declares for a source table, in declaration order; each needs a data_type. -#}
{% macro declared_source_columns(source_name, table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
        {%- if node is none -%}
            {{ exceptions.raise_compiler_error("source " ~ source_name ~ "." ~ table_name ~ " is not declared in sources.yml") }}
        {%- endif -%}
        {%- for column in node.columns.values() -%}
            {%- if not column.data_type -%}
                {{ exceptions.raise_compiler_error("sources.yml: " ~ source_name ~ "." ~ table_name ~ "." ~ column.name ~ " needs a data_type") }}
            {%- endif -%}
            {%- do columns.append({'name': column.name, 'data_type': column.data_type}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}
