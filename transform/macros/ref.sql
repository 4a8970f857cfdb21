{#- Every ref() is rendered without the database (catalog) name. Why: views store their SQL,
    and a view naming its catalog breaks wherever the catalog has another name: the analysts'
    copy of the file target (warehouse_read.duckdb), or a DuckLake snapshot a reader attaches
    under its own alias. Unqualified, a view resolves in whatever catalog holds it. -#}
{% macro ref() %}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {{- return(relation.include(database=false)) -}}
{% endmacro %}
