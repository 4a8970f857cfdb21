-- How well each source covers each artist, so analysts know how far to trust a series.
-- quality_score (0–1) follows the enrichment spec's series rules:
--   least(1, weeks_covered / 100)          full quality needs ≥ 100 weekly points;
--   × 1 if mean_interval_days ≤ 8 else 0.5 weekly (or denser) sampling;
--   × (1 − share_interpolated)             weeks this source supplied only by interpolation;
--   × (1 − suspicious_drops / weeks_covered)  subscriber drops > 10 % week on week.
-- Summed over the artist's accounts on that source (an artist rarely has two channels).
with observed as (
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

-- Weeks each source supplied the winning value, and weeks filled after it, per artist. Why three
-- paths: the ranked sources are small tables; YouNiverse is 75 M channel-weeks. Where no other
-- source measured an artist, every YouNiverse week it covers is a winning week (its span says how
-- many); only artists that other sources also measured are counted week by week.
ranked_artists as (
    select distinct artist_id from {{ ref('int_metrics__weekly_ranked') }}
),

supplied as (
    select artist_id, source, count(distinct week_at) as weeks_supplied
    from {{ ref('int_metrics__weekly_ranked') }}
    where source <> 'youniverse'
    group by artist_id, source
    union all
    select artist_id, source, count(distinct week_at)
    from {{ ref('int_metrics__weekly') }}
    semi join ranked_artists using (artist_id)
    where source = 'youniverse'
    group by artist_id, source
    union all
    select artist_id, source, sum(weeks_covered)
    from {{ ref('int_metrics__source_spans') }}
    anti join ranked_artists using (artist_id)
    where source = 'youniverse'
    group by artist_id, source
),

interpolated as (
    select artist_id, source, count(distinct week_at) as weeks_interpolated
    from {{ ref('int_metrics__interpolated') }}
    group by artist_id, source
),

-- Week-on-week subscriber steps of each source's own winning weeks (same split as above; the
-- YouNiverse channels no other source measured are counted, incrementally, per channel in
-- int_youniverse__subscriber_drops).
subscriber_weeks as (
    select artist_id, platform, source, week_at, value
    from {{ ref('int_metrics__weekly_ranked') }}
    where metric = 'subscribers' and source <> 'youniverse'
    union all
    select artist_id, platform, source, week_at, value
    from {{ ref('int_metrics__weekly') }}
    semi join ranked_artists using (artist_id)
    where metric = 'subscribers' and source = 'youniverse'
),

subscriber_steps as (
    select
        artist_id,
        source,
        value,
        lag(value) over (partition by artist_id, platform, source order by week_at) as previous_value,
        week_at - lag(week_at) over (partition by artist_id, platform, source order by week_at) as weeks_apart_days
    from subscriber_weeks
),

drops as (
    select
        artist_id,
        source,
        count(*) filter (where {{ suspicious_drop('value', 'previous_value', 'weeks_apart_days') }}) as suspicious_drops
    from subscriber_steps
    group by artist_id, source
    union all
    select accounts.artist_id, 'youniverse', sum(channel_drops.suspicious_drops)
    from {{ ref('int_youniverse__subscriber_drops') }} as channel_drops
    inner join {{ ref('int_artists__accounts') }} as accounts
        on accounts.platform = 'youtube' and accounts.account_id = channel_drops.account_id
    anti join ranked_artists on ranked_artists.artist_id = accounts.artist_id
    group by accounts.artist_id
),

final as (
    select
        observed.artist_id,
        observed.source,
        observed.first_observed_at,
        observed.last_observed_at,
        observed.weeks_covered,
        coalesce(supplied.weeks_supplied, 0) as weeks_supplied,
        coalesce(interpolated.weeks_interpolated, 0) as weeks_interpolated,
        round(coalesce(interpolated.weeks_interpolated, 0) / greatest(coalesce(supplied.weeks_supplied, 0) + coalesce(interpolated.weeks_interpolated, 0), 1), 4) as share_interpolated,
        case when observed.observation_days > 1
            then round((observed.last_observed_at - observed.first_observed_at) / (observed.observation_days - 1), 2)
        end as mean_interval_days,
        coalesce(drops.suspicious_drops, 0) as suspicious_drops
    from observed
    left join supplied on supplied.artist_id = observed.artist_id and supplied.source = observed.source
    left join interpolated on interpolated.artist_id = observed.artist_id and interpolated.source = observed.source
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
