{{ config(materialized='view') }}
-- The ten fastest growers per platform, metric and period at the latest as_of of each, among
-- artists with at least var('top_growers_min_value') (1,000) at the end of the window: a jump
-- from 1 to 2 (+100 %) is not a top grower. grower_rank ranks only those; growth_rank stays
-- fct_growth's rank among every artist. A thin view, so the question has one obvious answer
-- (the API's /v1/artists/top answers the same with its defaults). It reads fct_growth_latest:
-- the rows of fct_growth at each window's newest as_of are exactly its rows at that as_of, and
-- there they are one row per series instead of every as_of (fct_growth whole: seconds at
-- 150 k artists). The reference leaves out the catalog name so the view also works in the
-- analysts' copy of the warehouse file.
with latest as (
    select platform, metric, period, max(as_of) as as_of
    from {{ ref('fct_growth_latest').include(database=false) }}
    group by platform, metric, period
),

qualifying as (
    select
        growth.*,
        rank() over (
            partition by growth.platform, growth.metric, growth.period
            order by growth.growth_pct desc
        ) as grower_rank
    from {{ ref('fct_growth_latest').include(database=false) }} as growth
    inner join latest using (platform, metric, period, as_of)
    where growth.value_end >= {{ var('top_growers_min_value') }}
        and growth.growth_pct is not null
)

select * from qualifying
where grower_rank <= 10
