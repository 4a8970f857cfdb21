-- Suspicious subscriber drops (> 10 % between consecutive weeks) of each YouNiverse channel,
-- counted once here so source_coverage does not sort all 75 M channel-weeks on every build.
-- The rule is source_coverage's (drops_rule below is the one place it is written).
-- Incremental: a channel whose new weeks all come after its last counted week is extended
-- from that week (its value seeds the first new step); any other change (a back-fill, a
-- reloaded week) recounts the channel from all of its weeks.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id'],
        on_schema_change='fail'
    )
}}
{%- set watermark = newest_loaded_at() %}

with weeks as (
    select
        channel_id as account_id,
        {{ week_ending(youniverse_value_on('observed_on')) }} as week_at,
        subscribers as value,
        loaded_at
    from {{ ref('stg_youniverse__timeseries') }}
    where subscribers is not null
),

{% if is_incremental() %}
changed as (
    select account_id, min(week_at) as first_new_week_at
    from weeks
    where loaded_at > {{ watermark }}
    group by account_id
),

extended_accounts as (
    select held.account_id
    from {{ this }} as held
    inner join changed using (account_id)
    where changed.first_new_week_at > held.last_week_at
),

counted_weeks as (
    -- extended: the held last week (not counted again) then the new weeks
    select held.account_id, held.last_week_at as week_at, held.last_value as value,
           held.loaded_at, false as is_new
    from {{ this }} as held
    semi join extended_accounts using (account_id)
    union all
    select weeks.account_id, weeks.week_at, weeks.value, weeks.loaded_at, true as is_new
    from weeks
    semi join extended_accounts using (account_id)
    where weeks.loaded_at > {{ watermark }}
    union all
    -- recounted: every week of a channel changed in any other way
    select weeks.account_id, weeks.week_at, weeks.value, weeks.loaded_at, true as is_new
    from weeks
    semi join (select account_id from changed anti join extended_accounts using (account_id)) as recounted
        using (account_id)
),
{% else %}
counted_weeks as (
    select account_id, week_at, value, loaded_at, true as is_new
    from weeks
),
{% endif %}

steps as (
    select
        *,
        lag(value) over by_week as previous_value,
        week_at - lag(week_at) over by_week as days_apart
    from counted_weeks
    window by_week as (partition by account_id order by week_at)
),

counted as (
    select
        account_id,
        count(*) filter (where is_new and {{ suspicious_drop('value', 'previous_value', 'days_apart') }}) as suspicious_drops,
        max(week_at) as last_week_at,
        arg_max(value, week_at) as last_value,
        max(loaded_at) as loaded_at
    from steps
    group by account_id
)

{% if is_incremental() %}
select
    counted.account_id,
    counted.suspicious_drops + coalesce(held.suspicious_drops, 0) as suspicious_drops,
    counted.last_week_at,
    counted.last_value,
    counted.loaded_at
from counted
left join {{ this }} as held
    on held.account_id = counted.account_id
    and held.account_id in (select account_id from extended_accounts)
{% else %}
select * from counted
{% endif %}
