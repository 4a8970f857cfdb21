-- ViewStats' measurements in the observation contract: one row per channel, week and metric,
-- the longform / Shorts split included.
{{ observations_unpivoted(ref('stg_viewstats__weekly'), account_id='channel_id', metrics={
    'subscribers': 'subscribers',
    'views': 'views',
    'longform_views': 'longform_views',
    'shorts_views': 'shorts_views',
}) }}
