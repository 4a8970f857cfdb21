-- The features suspicious-growth detection scores (fct_anomalies), one row per artist ×
-- platform × metric × week, built from 7-day growth so the growth formula lives only in
-- fct_growth (gain is its value_end − value_start):
--   gain, growth_pct        this week's change, in units and in percent;
--   usual_gain, gain_spread the artist's own usual weekly gain and how much it varies: mean and
--                           standard deviation of the trusted gains of the 8 weeks before (or,
--                           with fewer than 4 of them, of the 8 weeks either side, this week
--                           left out), so an anomaly never hides itself (the week an artist buys
--                           100,000 followers is judged against the weeks it did not). A mean, not a median: counts
--                           rounded to 3 significant figures move in whole steps (0, 0, 1 M,
--                           0 ...) whose median says nothing while their mean is the true pace.
--                           Each neighbour's gain is first clipped to what its own neighbours
--                           make ordinary, so another anomaly nearby cannot hide this one;
--   gain_scale              what a week's excess is measured in: the largest of the usual gain
--                           (a steady series: "N times the usual"), the spread (a noisy one:
--                           "N standard deviations") and 1;
--   excess_ratio            (gain − usual_gain) / gain_scale: +9 is a week that gained ten
--                           times the usual, −3 one that lost three times what it usually gains;
--                           0 within two rounding steps of the usual (it may not have moved);
--   rounding_step           the 3-significant-figure step of this week's larger value when its
--                           counts are rounded, 0 when exact. Rounded: the registry says its
--                           source rounds it that day (is_rounded), or both ends are exact
--                           multiples of that step, so history loaded from any file that
--                           carries rounded counts is read as such. A change within two steps
--                           may be nothing at all;
--   companion_*             the paired metric the same week (subscribers ↔ views, followers ↔
--                           monthly listeners, Instagram followers ↔ media): followers up with
--                           listeners at their usual pace is suspicious, both up is a viral week.
--                           Null when the companion is not measured that week or too small to
--                           judge (the same size rule as the week itself);
--   next_growth_pct         the next week's growth: a spike that falls straight back is an
--                           impossible value, not growth;
--   usual_growth_pct, acceleration_pct, disagreement_pct  percent features pyod also scores;
--   is_interpolated, is_junction_break  weeks that are not observations of growth (a straight
--                           line through a hole; a hand-over between sources that failed its
--                           junction rules): they neither feed the norm nor are ever judged.
-- Weeks that stay below 1,000 at both ends are left out when they grow: +100 % from 40 to 80
-- subscribers is a young channel, not fraud. A week that ends at or above 1,000 is kept, and so
-- is a drop from 100 or more. Spikes entirely below 1,000 and anything below 100 are a
-- deliberate blind spot.
-- Why window sums, not window medians: at full scale these are 24 M weeks, and DuckDB's
-- sliding sums are one pass where sliding medians are minutes.
{%- set min_history_weeks = 4 %}
with growth as (
    select artist_id, platform, metric, as_of as week_at, growth_pct, value_start, value_end, is_interpolated,
        source_start, source_end, quality_end
    from {{ ref('fct_growth') }}
    where period = '7d'
        and growth_pct is not null
        and metric in ('subscribers', 'views', 'followers', 'monthly_listeners', 'media')
        and (greatest(value_start, value_end) >= 1000 or (value_start >= 100 and value_end < value_start))
),

-- The paired metric of each judged metric. An audience and what it watches or streams move
-- together when growth is real (tells_viral); Instagram's media count is only context: posts do
-- not tell a viral week from bought followers.
companions as (
    select * from (values
        ('youtube', 'subscribers', 'views', true),
        ('youtube', 'views', 'subscribers', true),
        ('spotify', 'followers', 'monthly_listeners', true),
        ('spotify', 'monthly_listeners', 'followers', true),
        ('instagram', 'followers', 'media', false)
    ) as c(platform, metric, companion_metric, companion_tells_viral)
),

failed_junctions as (
    select distinct artist_id, older_source, newer_source
    from {{ ref('junction_report') }}
    where not passed
),

weeks as (
    select
        growth.*,
        growth.value_end - growth.value_start as gain,
        coalesce(growth.quality_end = 'junction_break', false) or failed.artist_id is not null as is_junction_break,
        {{ rounding_step('growth.value_start', 'growth.value_end') }} as step
    from growth
    left join failed_junctions as failed
        on failed.artist_id = growth.artist_id
        and growth.platform = 'youtube'
        and failed.older_source = growth.source_start
        and failed.newer_source = growth.source_end
),

classified as (
    select
        *,
        case
            when {{ is_rounded('metric', 'source_end', 'week_at') }}
                or (step >= 10 and value_start % step = 0 and value_end % step = 0)
                then step
            else 0
        end as rounding_step,
        not is_interpolated and not is_junction_break as is_trusted
    from weeks
),

-- A first look at each week's surroundings (the trusted gains of the 8 weeks either side and its
-- own), their highest and lowest left out: a bought week and the week a burst of fake streams
-- ends are what these leave out. Mean and standard deviation from sliding sums, max and min.
first_pass as (
    select
        *,
        (rough_sum - rough_max - rough_min) / nullif(rough_count - 2, 0) as rough_usual,
        (rough_squares - rough_max * rough_max - rough_min * rough_min) / nullif(rough_count - 2, 0) as rough_square
    from (
        select
            *,
            count(case when is_trusted then gain end) over surroundings as rough_count,
            sum(case when is_trusted then gain end) over surroundings as rough_sum,
            sum(case when is_trusted then gain * gain end) over surroundings as rough_squares,
            max(case when is_trusted then gain end) over surroundings as rough_max,
            min(case when is_trusted then gain end) over surroundings as rough_min
        from classified
        window surroundings as (partition by artist_id, platform, metric order by week_at rows between 8 preceding and 8 following)
    )
),

-- What a week contributes to its neighbours' norm: its trusted gain, clipped to what its
-- surroundings make ordinary (their trimmed mean ± 4 standard deviations, at least ± the mean
-- and ± 2 rounding steps): one bought week, a real recount of views or the fraud of a
-- neighbouring month must not make the weeks around it look ordinary. Local, because growth
-- changes over a decade.
clipped as (
    select
        *,
        case when is_trusted then coalesce(least(greatest(gain, rough_usual - rough_reach), rough_usual + rough_reach), gain)
        end as norm_gain
    from (
        select
            *,
            greatest(4 * sqrt(greatest(rough_square - rough_usual * rough_usual, 0)), abs(rough_usual),
                     2 * rounding_step) as rough_reach
        from first_pass
    )
),

-- The norm itself: sliding sums over the clipped gains, of the 8 weeks before (the artist's own
-- history: a decline's first week is judged against the weeks before it, not against the
-- decline) or, where fewer than 4 trusted weeks come before, of the 8 weeks either side.
-- The week itself is subtracted from the centred sums.
windowed as (
    select
        *,
        count(norm_gain) over before as before_weeks,
        sum(norm_gain) over before as before_sum,
        sum(norm_gain * norm_gain) over before as before_sum_squares,
        sum(case when is_trusted then growth_pct end) over before as before_growth_sum,
        count(norm_gain) over around - is_trusted::integer as around_weeks,
        sum(norm_gain) over around - coalesce(norm_gain, 0) as around_sum,
        sum(norm_gain * norm_gain) over around - coalesce(norm_gain * norm_gain, 0) as around_sum_squares,
        sum(case when is_trusted then growth_pct end) over around
            - case when is_trusted then growth_pct else 0 end as around_growth_sum,
        lead(growth_pct) over series_order as next_growth_pct,
        coalesce(growth_pct - lag(growth_pct) over series_order, 0) as acceleration_pct
    from clipped
    window
        series_order as (partition by artist_id, platform, metric order by week_at),
        before as (partition by artist_id, platform, metric order by week_at rows between 8 preceding and 1 preceding),
        around as (partition by artist_id, platform, metric order by week_at rows between 8 preceding and 8 following)
),

normed as (
    select
        *,
        case when before_weeks >= {{ min_history_weeks }} then before_weeks else around_weeks end as norm_weeks,
        case when before_weeks >= {{ min_history_weeks }} then before_sum / before_weeks
             else around_sum / nullif(around_weeks, 0) end as usual_gain,
        case when before_weeks >= {{ min_history_weeks }} then before_growth_sum / before_weeks
             else around_growth_sum / nullif(around_weeks, 0) end as usual_growth_pct,
        case when before_weeks >= {{ min_history_weeks }} then before_sum_squares / before_weeks
             else around_sum_squares / nullif(around_weeks, 0) end as mean_square_gain
    from windowed
),

scored as (
    select
        *,
        sqrt(greatest(mean_square_gain - usual_gain * usual_gain, 0)) as gain_spread,
        greatest(abs(usual_gain), sqrt(greatest(mean_square_gain - usual_gain * usual_gain, 0)), 1) as gain_scale
    from normed
),

-- Within two rounding steps of the usual a week may not have moved at all: no excess.
excess as (
    select
        *,
        case
            when abs(gain - usual_gain) <= 2 * rounding_step then 0
            else (gain - usual_gain) / gain_scale
        end as excess_ratio
    from scored
),

final as (
    select
        g.artist_id,
        g.platform,
        g.metric,
        g.week_at,
        g.value_start,
        g.value_end,
        g.gain,
        g.growth_pct,
        g.usual_gain,
        g.gain_spread,
        g.gain_scale,
        g.excess_ratio,
        g.usual_growth_pct,
        g.norm_weeks,
        g.rounding_step,
        g.next_growth_pct,
        g.acceleration_pct,
        companions.companion_metric,
        companions.companion_tells_viral,
        companion.growth_pct as companion_growth_pct,
        companion.usual_growth_pct as companion_usual_growth_pct,
        companion.gain as companion_gain,
        companion.usual_gain as companion_usual_gain,
        companion.excess_ratio as companion_excess_ratio,
        coalesce(g.growth_pct - companion.growth_pct, 0) as disagreement_pct,
        g.is_interpolated,
        g.is_junction_break
    from excess as g
    inner join companions using (platform, metric)
    left join excess as companion
        on companion.artist_id = g.artist_id
        and companion.platform = g.platform
        and companion.metric = companions.companion_metric
        and companion.week_at = g.week_at
)

select * from final
