-- For every junction and channel with older-source history: the last point of the older
-- source and the first point of the newer one on or after it, per metric, plus the longform /
-- Shorts split of views on the side of the source that splits them. The junctions are the
-- registry's hand-overs (vars.metric_sources: hands_over_to). Junction rules (junction_report)
-- are judged on these endpoints.
with observations as (
    select * from {{ ref('int_metrics__observations') }}
    where platform = 'youtube'
),

{%- set handovers = metric_source_junctions() %}
junctions as (
    {%- if handovers %}
    select * from (values
        {%- for j in handovers %}
        ('{{ j.junction }}', {{ j.junction_order }}, '{{ j.older_source }}', '{{ j.newer_source }}', {{ "'" ~ j.split_source ~ "'" if j.split_source else "cast(null as varchar)" }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as j(junction, junction_order, older_source, newer_source, split_source)
    {%- else %}
    select cast(null as varchar) as junction, 0 as junction_order, cast(null as varchar) as older_source,
        cast(null as varchar) as newer_source, cast(null as varchar) as split_source
    where false
    {%- endif %}
),

source_spans as (
    select artist_id, account_id as youtube_channel_id, source, headline_first_on as first_on, headline_last_on as last_on
    from {{ ref('int_metrics__source_spans') }}
    where platform = 'youtube' and headline_first_on is not null
),

-- Channels the newer sources are collected for: the watchlist's. A YouNiverse-only channel is
-- never looked up after 2019, so it has no junction to judge.
watchlisted as (
    select account_id as youtube_channel_id
    from {{ ref('int_artists__accounts') }}
    where platform = 'youtube' and is_watchlisted
),

-- Channels the YouTube API's latest answer leaves out (terminated or hidden from the API): the
-- API cannot take over from ViewStats for them, which dim_artists reports as their status.
api_inactive as (
    select channel_id as youtube_channel_id
    from {{ ref('stg_youtube__channels') }}
    qualify row_number() over (partition by channel_id order by observed_on desc) = 1
        and not is_active
),

-- A junction exists for a watchlisted channel whose history reaches the older source: the newer
-- source must take over from it (a newer source that never arrives is a failed junction). A
-- channel whose history starts with the newer source has nothing to hand over.
candidates as (
    select junctions.*, spans.artist_id, spans.youtube_channel_id
    from junctions
    inner join source_spans as spans
        on spans.source = junctions.older_source
    semi join watchlisted
        on watchlisted.youtube_channel_id = spans.youtube_channel_id
    where not (
        junctions.newer_source = 'youtube_api'
        and spans.youtube_channel_id in (select youtube_channel_id from api_inactive)
    )
        -- A newer source never loaded at all cannot be judged yet (the freshness sensor reports
        -- it); once it has data for anyone, a channel it misses is a failed hand-over.
        and junctions.newer_source in (select distinct source from source_spans)
),

dated as (
    select
        candidates.*,
        older.last_on as older_last_at,
        (
            select min(newer.value_on)
            from observations as newer
            where newer.artist_id = candidates.artist_id
                -- YouNiverse (the oldest era) is never the newer source; saying so skips its 226 M rows.
                and newer.source <> 'youniverse'
                and newer.source = candidates.newer_source
                and newer.metric in ('subscribers', 'views')
                and newer.value_on >= older.last_on
        ) as newer_first_at
    from candidates
    left join source_spans as older
        on older.artist_id = candidates.artist_id and older.source = candidates.older_source
),

-- The observations on an endpoint day. YouNiverse is only ever the older side, and its values are
-- read from staging by channel and day: a lookup on stored columns skips the history, where
-- streaming its 226 M unpivoted observations past the endpoint days would read them all.
endpoint_observations as (
    select observations.artist_id, observations.source, observations.metric, observations.value_on, observations.value
    from observations
    semi join (
        select artist_id, older_last_at as value_on from dated
        union
        select artist_id, newer_first_at from dated where newer_first_at is not null
    ) as endpoint_days
        using (artist_id, value_on)
    where observations.source <> 'youniverse'
    union all
    select artist_id, source, metric, value_on, value
    from (
        unpivot (
            select
                youniverse_ends.artist_id,
                'youniverse' as source,
                youniverse_ends.older_last_at as value_on,
                timeseries.subscribers,
                timeseries.views
            from {{ ref('stg_youniverse__timeseries') }} as timeseries
            inner join (
                select distinct artist_id, youtube_channel_id, older_last_at from dated where older_source = 'youniverse'
            ) as youniverse_ends
                on youniverse_ends.youtube_channel_id = timeseries.channel_id
                and youniverse_ends.older_last_at = {{ youniverse_value_on('timeseries.observed_on') }}
        ) on subscribers, views into name metric value value
    )
),

metric_values as (
    select
        dated.junction,
        dated.artist_id,
        max(o.value) filter (where o.source = dated.older_source and o.metric = 'subscribers' and o.value_on = dated.older_last_at) as subscribers_older,
        max(o.value) filter (where o.source = dated.newer_source and o.metric = 'subscribers' and o.value_on = dated.newer_first_at) as subscribers_newer,
        max(o.value) filter (where o.source = dated.older_source and o.metric = 'views' and o.value_on = dated.older_last_at) as views_older,
        max(o.value) filter (where o.source = dated.newer_source and o.metric = 'views' and o.value_on = dated.newer_first_at) as views_newer,
        max(o.value) filter (where o.source = dated.split_source and o.metric = 'views' and o.value_on = dated.split_on) as split_total_views,
        max(o.value) filter (where o.source = dated.split_source and o.metric = 'longform_views' and o.value_on = dated.split_on) as split_longform_views,
        max(o.value) filter (where o.source = dated.split_source and o.metric = 'shorts_views' and o.value_on = dated.split_on) as split_shorts_views
    -- the split is read on the splitting source's own endpoint day
    from (
        select *, case when split_source = newer_source then newer_first_at else older_last_at end as split_on
        from dated
    ) as dated
    left join endpoint_observations as o
        on o.artist_id = dated.artist_id
        and o.source in (dated.older_source, dated.newer_source)
        and o.value_on in (dated.older_last_at, dated.newer_first_at)
    group by dated.junction, dated.artist_id
)

select
    dated.junction,
    dated.junction_order,
    dated.older_source,
    dated.newer_source,
    dated.artist_id,
    dated.youtube_channel_id,
    dated.older_last_at,
    dated.newer_first_at,
    metric_values.subscribers_older,
    metric_values.subscribers_newer,
    metric_values.views_older,
    metric_values.views_newer,
    metric_values.split_total_views,
    metric_values.split_longform_views,
    metric_values.split_shorts_views
from dated
inner join metric_values
    on metric_values.junction = dated.junction and metric_values.artist_id = dated.artist_id
