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

{#- The position of a growth window in a listing sorted by `order` (pct_desc, pct_asc, abs_desc,
    abs_asc) as one ascending number: ties are broken by artist_id, growth from 0 (a null
    growth_pct) sorts last either way. fct_growth_leaders stores it; the API's listings sort by
    the same expressions (api/marts.py GROWTH_SORT_KEY, tested equal). -#}
{% macro growth_sort_key(order) -%}
    {%- set keys = {
        'pct_desc': "-coalesce(growth_pct, '-infinity'::double)",
        'pct_asc': "coalesce(growth_pct, 'infinity'::double)",
        'abs_desc': "-coalesce(abs_change::double, '-infinity'::double)",
        'abs_asc': "coalesce(abs_change::double, 'infinity'::double)",
    } -%}
    {{ keys[order] }}
{%- endmacro %}
