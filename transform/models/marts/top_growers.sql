{{ config(materialized='view') }}
-- The ten fastest growers per platform, metric and period at the latest as_of of each —
-- a thin view over fct_growth so the question has one obvious answer. The reference leaves
-- out the catalog name so the view also works in the analysts' copy of the warehouse file.
with latest as (
    select platform, metric, period, max(as_of) as as_of
    from {{ ref('fct_growth').include(database=false) }}
    group by platform, metric, period
)

select growth.*
from {{ ref('fct_growth').include(database=false) }} as growth
inner join latest using (platform, metric, period, as_of)
where growth.growth_rank <= 10
