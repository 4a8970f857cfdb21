-- How well each source covers each artist, so analysts know how far to trust a series.
-- quality_score (0–1) follows the enrichment spec's series rules:
--   least(1, weeks_covered / 100)          full quality needs ≥ 100 weekly points;
--   × 1 if mean_interval_days ≤ 8 else 0.5 weekly (or denser) sampling;
--   × (1 − share_interpolated)             weeks this source supplied only by interpolation;
--   × (1 − suspicious_drops / weeks_covered)  subscriber drops > 10 % week on week.
with metrics as (
    select * from {{ ref('fct_metrics') }}
),

-- Summed over the artist's accounts on that source (an artist rarely has two channels).
observed as (
    select
        artist_id,
        source,
        sum(weeks_covered) as weeks_covered,
        min(first_on) as first_observed_at,
        max(last_on) as last_observed_at,
        sum(observation_days) as observation_days
    from {{ ref('int_metrics__source_spans') }}
    group by artist_id, source
),

supplied as (
    select
        artist_id,
        source,
        count(distinct observed_at) filter (where not is_interpolated) as weeks_supplied,
        count(distinct observed_at) filter (where is_interpolated) as weeks_interpolated
    from metrics
    group by artist_id, source
),

subscriber_steps as (
    select
        artist_id,
        source,
        value,
        lag(value) over (partition by artist_id, platform, source order by week_at) as previous_value,
        week_at - lag(week_at) over (partition by artist_id, platform, source order by week_at) as weeks_apart_days
    from {{ ref('int_metrics__weekly') }}
    where metric = 'subscribers'
),

drops as (
    select
        artist_id,
        source,
        count(*) filter (where previous_value > 0 and weeks_apart_days = 7 and value < 0.9 * previous_value) as suspicious_drops
    from subscriber_steps
    group by artist_id, source
),

final as (
    select
        observed.artist_id,
        observed.source,
        observed.first_observed_at,
        observed.last_observed_at,
        observed.weeks_covered,
        coalesce(supplied.weeks_supplied, 0) as weeks_supplied,
        coalesce(supplied.weeks_interpolated, 0) as weeks_interpolated,
        round(coalesce(supplied.weeks_interpolated, 0) / greatest(coalesce(supplied.weeks_supplied, 0) + coalesce(supplied.weeks_interpolated, 0), 1), 4) as share_interpolated,
        case when observed.observation_days > 1
            then round((observed.last_observed_at - observed.first_observed_at) / (observed.observation_days - 1), 2)
        end as mean_interval_days,
        coalesce(drops.suspicious_drops, 0) as suspicious_drops
    from observed
    left join supplied on supplied.artist_id = observed.artist_id and supplied.source = observed.source
    left join drops on drops.artist_id = observed.artist_id and drops.source = observed.source
)

select
    *,
    round(
        least(1, weeks_covered / 100.0)
        * case when coalesce(mean_interval_days, 7) <= 8 then 1 else 0.5 end
        * (1 - share_interpolated)
        * (1 - least(1, suspicious_drops / greatest(weeks_covered, 1))),
        3
    ) as quality_score
from final
