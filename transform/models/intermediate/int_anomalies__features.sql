-- The features suspicious-growth detection scores (fct_anomalies), one row per artist ×
-- platform × metric × week, built from 7-day growth so the growth formula lives only in
-- fct_growth:
--   growth_pct          this week's growth;
--   usual_growth_pct    the median weekly growth of the artist's own series;
--   robust_z            (growth − median) / (1.4826 × MAD), the MAD floored at 0.5 points so
--                       a perfectly smooth history does not turn noise into infinity;
--   acceleration_pct    change of growth from the previous week;
--   companion_*         the paired metric's growth the same week (subscribers ↔ views,
--                       followers ↔ monthly listeners, Instagram followers ↔ media) and the
--                       disagreement between them (followers up, views flat).
-- Weeks starting below 1,000 are left out: +100 % from 40 to 80 subscribers is noise, not fraud.
with growth as (
    select artist_id, platform, metric, as_of as week_at, growth_pct, value_start
    from {{ ref('fct_growth') }}
    where period = '7d'
        and growth_pct is not null
        and value_start >= 1000
),

companions as (
    select * from (values
        ('youtube', 'subscribers', 'views'),
        ('youtube', 'views', 'subscribers'),
        ('spotify', 'followers', 'monthly_listeners'),
        ('spotify', 'monthly_listeners', 'followers'),
        ('instagram', 'followers', 'media')
    ) as c(platform, metric, companion_metric)
),

norms as (
    select
        artist_id, platform, metric,
        median(growth_pct) as usual_growth_pct,
        greatest(1.4826 * mad(growth_pct), 0.5) as robust_scale_pct,
        count(*) as weeks_in_series
    from growth
    group by artist_id, platform, metric
),

scored_metrics as (
    select growth.*
    from growth
    inner join companions using (platform, metric)
),

final as (
    select
        g.artist_id,
        g.platform,
        g.metric,
        g.week_at,
        g.value_start,
        g.growth_pct,
        norms.usual_growth_pct,
        norms.robust_scale_pct,
        norms.weeks_in_series,
        (g.growth_pct - norms.usual_growth_pct) / norms.robust_scale_pct as robust_z,
        coalesce(
            g.growth_pct - lag(g.growth_pct) over (partition by g.artist_id, g.platform, g.metric order by g.week_at),
            0
        ) as acceleration_pct,
        companions.companion_metric,
        companion.growth_pct as companion_growth_pct,
        coalesce(g.growth_pct - companion.growth_pct, 0) as disagreement_pct
    from scored_metrics as g
    inner join norms using (artist_id, platform, metric)
    inner join companions using (platform, metric)
    left join growth as companion
        on companion.artist_id = g.artist_id
        and companion.platform = g.platform
        and companion.metric = companions.companion_metric
        and companion.week_at = g.week_at
)

select * from final
