-- One YouNiverse weekly point per channel and date. The dataset repeats rows (its README shows
-- duplicates); the loader drops them and replaces keys it loads again (ingestion/youniverse), so
-- raw is unique per channel and date by construction and this view does not re-sort 75 M rows
-- on every read to de-duplicate.
with source as (
    {{ completed_source('raw_youniverse', 'timeseries') }}
),

renamed as (
    select
        channel_id,
        observed_on,
        category,
        views,
        delta_views,
        subs as subscribers,
        delta_subs as delta_subscribers,
        videos,
        delta_videos,
        activity,
        _dlt_load_id as load_id,
        _dlt_loaded_at as loaded_at
    from source
)

select * from renamed
