{#- growth_rank, defined once: 1 = the fastest exact growth_pct among every artist's window of
    one platform × metric × period ending the same as_of; a window without a percentage (from 0)
    has no rank. Used where growth is read ranked (fct_growth_ranked, fct_growth_latest):
    fct_growth itself is stored unranked, because ranking every as_of was most of its build. -#}
{% macro growth_rank() -%}
    cast(case when growth_pct is not null then rank() over (
        partition by platform, metric, period, as_of
        order by growth_pct desc nulls last
    ) end as integer)
{%- endmacro %}
