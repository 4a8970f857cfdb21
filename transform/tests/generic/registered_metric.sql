{#- Every (source, metric) of a model is one the registry declares (marts.dim_sources: a source
    and its metrics), so a source that starts giving an undeclared metric, or a metric's name
    that drifts, fails loudly instead of reaching the marts unnoticed. -#}
{% test metric_registered_for_source(model, registry, source_column='source', metric_column='metric') %}
select distinct observed.{{ source_column }} as source, observed.{{ metric_column }} as metric
from {{ model }} as observed
anti join (
    select source, unnest(metrics) as metric from {{ registry }}
) as registered
    on registered.source = observed.{{ source_column }}
    and registered.metric = observed.{{ metric_column }}
{% endtest %}
