-- The registry of metric sources as a table: one row per source, exactly as declared in
-- vars.metric_sources (dbt_project.yml), so analysts can read what fct_metrics.source,
-- source_coverage and junction_report name, and the marts' tests check those names against it.
{%- set columns = [
    ('source', 'varchar'), ('platform', 'varchar'), ('description', 'varchar'),
    ('observations_model', 'varchar'), ('raw_assets', 'varchar[]'), ('metrics', 'varchar[]'),
    ('cadence', 'varchar'), ('precedence', 'integer'), ('rounded_metrics', 'varchar[]'),
    ('rounded_since', 'date'), ('era_start', 'date'), ('era_end', 'date'),
    ('hands_over_to', 'varchar'), ('junction', 'varchar'),
] %}
{%- for entry in metric_sources() %}
select
    {%- for name, data_type in columns %}
    {{ registry_literal(entry[name], data_type) }} as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
