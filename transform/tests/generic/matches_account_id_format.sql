{#- A watchlist id that cannot be the platform's: the rules are the seed account_id_formats,
    the same rows the watchlist reader (ingestion/watchlist.py) checks before collecting.
    A column the seed declares no rule for fails too, so a renamed column never passes unchecked. -#}
{% test matches_account_id_format(model, column_name) %}

with formats as (
    select * from {{ ref('account_id_formats') }}
    where id_column = '{{ column_name }}'
),

ids as (
    select distinct {{ column_name }} as account_id
    from {{ model }}
    where {{ column_name }} is not null
),

final as (
    select
        ids.account_id,
        coalesce(formats.rule, 'account_id_formats declares no rule for {{ column_name }}') as reason
    from ids
    left join formats on true
    where formats.id_column is null
        or length(ids.account_id) > formats.max_length
        or not regexp_full_match(ids.account_id, formats.pattern)
)

select * from final

{% endtest %}
