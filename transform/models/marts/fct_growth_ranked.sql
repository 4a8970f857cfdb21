{{ config(materialized='view') }}
-- fct_growth with growth_rank, ranked when read. Filter on as_of (and platform, metric, period):
-- DuckDB pushes filters on the rank's partition columns below it, so one window ranks only its
-- own rows (150 k at 150 k artists) instead of every as_of. A filter on artist_id alone does not
-- push down (an artist's rank needs every other artist of the window): add as_of.
-- Each series' newest window is stored ranked in fct_growth_latest.
-- The reference leaves out the catalog name so the view also works in the analysts' copy.
select
    artist_id, platform, metric, period, as_of, start_at, value_start, value_end, abs_change, growth_pct,
    {{ growth_rank() }} as growth_rank,
    is_within_rounding, is_interpolated, source_start, source_end, quality_end, loaded_at
from {{ ref('fct_growth').include(database=false) }}
