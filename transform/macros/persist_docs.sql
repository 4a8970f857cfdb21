{#- Column descriptions become DuckDB comments (persist_docs), so SQL clients show them too.
    Why an override: DuckLake stores comments on a table's columns but not on a view's
    ("Cannot comment on columns ... it is not a table"), so on a DuckLake a view keeps its
    relation comment and its column docs stay in the docs site. Everywhere else, dbt-duckdb's. -#}
{% macro duckdb__alter_column_comment(relation, column_dict) %}
  {%- if relation.type == 'view' and adapter.is_ducklake(relation) -%}
    select 1 as column_comments_not_supported_on_ducklake_views;
  {%- else -%}
    {{ dbt_duckdb__alter_column_comment_default(relation, column_dict) }}
  {%- endif -%}
{% endmacro %}

{% macro dbt_duckdb__alter_column_comment_default(relation, column_dict) %}
  {% set existing_columns = adapter.get_columns_in_relation(relation) | map(attribute="name") | list %}
  {% for column_name in column_dict if (column_name in existing_columns) %}
    {% set comment = column_dict[column_name]['description'] %}
    {% set escaped_comment = duckdb_escape_comment(comment) %}
    comment on column {{ relation }}.{{ adapter.quote(column_name) if column_dict[column_name]['quote'] else column_name }} is {{ escaped_comment }};
  {% endfor %}
{% endmacro %}
