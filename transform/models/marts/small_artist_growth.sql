{{ config(materialized='view') }}
-- Growth of artists still below 50,000 followers or subscribers (value_end), ranked among
-- themselves: the "small but rising" question. Change the threshold by copying this query.
-- The reference leaves out the catalog name so the view also works in a renamed copy of the file.
select
    growth.*,
    rank() over (
        partition by growth.platform, growth.metric, growth.period, growth.as_of
        order by growth.growth_pct desc nulls last
    ) as small_artist_rank
from {{ ref('fct_growth_ranked').include(database=false) }} as growth
where growth.metric in ('followers', 'subscribers')
    and growth.value_end < 50000
    and growth.growth_pct is not null
