-- The features suspicious-growth detection scores (fct_anomalies), one row per artist ×
-- platform × metric × week, built from 7-day growth so the growth formula lives only in
-- fct_growth:
--   growth_pct          this week's growth;
--   usual_growth_pct    the median weekly growth of the artist's own series (trusted weeks only);
--   robust_scale_pct    1.4826 × MAD of that growth, floored so quantized or perfectly smooth
--                       series do not turn noise into infinity: at least 0.5 points and at least
--                       twice this week's rounding step (subscribers since 2019-09 are truncated to
--                       3 significant figures, so a week moves by 0, 1 or 2 steps of up to 1 %);
--   robust_z            (growth − usual) / robust scale;
--   acceleration_pct    change of growth from the previous week;
--   companion_*         the paired metric's growth the same week (subscribers ↔ views,
--                       followers ↔ monthly listeners, Instagram followers ↔ media) and the
--                       disagreement between them (followers up, views flat);
--   is_interpolated     either end of the week is an interpolated point: its growth is a straight
--                       line between two real points, not an observation;
--   is_junction_break   the week crosses a junction that failed its rules (junction_report): it
--                       ends on the point fct_metrics marks junction_break, or the weekly series
--                       passes from that junction's older source to its newer one this week
--                       (sources overlap, so the series may switch before newer_first_at). The
--                       jump may be the hand-over, not growth.
-- Neither kind of week feeds the artist's norm, and fct_anomalies never judges them anomalous.
-- Weeks that stay below 1,000 at both ends are left out when they grow: +100 % from 40 to 80
-- subscribers is a young channel, not fraud. A week that ends at or above 1,000 is kept, so
-- 600 -> 3,500 in a week (a bought spike on a small channel) is scored, and so is a drop from
-- 100 or more: losing a fifth of even a small audience in a week is not the noise of youth.
-- Spikes entirely below 1,000 and anything below 100 are a deliberate blind spot.
with growth as (
    select artist_id, platform, metric, as_of as week_at, growth_pct, value_start, value_end, is_interpolated,
        source_start, source_end, quality_end
    from {{ ref('fct_growth') }}
    where period = '7d'
        and growth_pct is not null
        and (greatest(value_start, value_end) >= 1000 or (value_start >= 100 and value_end < value_start))
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

failed_junctions as (
    select distinct artist_id, older_source, newer_source
    from {{ ref('junction_report') }}
    where not passed
),

scored_metrics as (
    select
        growth.*,
        coalesce(growth.quality_end = 'junction_break', false) or failed.artist_id is not null as is_junction_break,
        case
            when {{ is_rounded('growth.metric', 'growth.source_end', 'growth.week_at') }}
                then 100.0 * {{ rounding_step('growth.value_start', 'growth.value_end') }} / growth.value_start
            else 0
        end as rounding_step_pct
    from growth
    inner join companions using (platform, metric)
    left join failed_junctions as failed
        on failed.artist_id = growth.artist_id
        and growth.platform = 'youtube'
        and failed.older_source = growth.source_start
        and failed.newer_source = growth.source_end
),

norms as (
    select
        artist_id, platform, metric,
        median(growth_pct) as usual_growth_pct,
        1.4826 * mad(growth_pct) as mad_scale_pct,
        count(*) as weeks_in_series
    from scored_metrics
    where not is_interpolated and not is_junction_break
    group by artist_id, platform, metric
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
        greatest(norms.mad_scale_pct, 2 * g.rounding_step_pct, 0.5) as robust_scale_pct,
        norms.weeks_in_series,
        (g.growth_pct - norms.usual_growth_pct) / greatest(norms.mad_scale_pct, 2 * g.rounding_step_pct, 0.5)
            as robust_z,
        coalesce(
            g.growth_pct - lag(g.growth_pct) over (partition by g.artist_id, g.platform, g.metric order by g.week_at),
            0
        ) as acceleration_pct,
        companions.companion_metric,
        companion.growth_pct as companion_growth_pct,
        coalesce(g.growth_pct - companion.growth_pct, 0) as disagreement_pct,
        g.rounding_step_pct,
        g.is_interpolated,
        g.is_junction_break
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
