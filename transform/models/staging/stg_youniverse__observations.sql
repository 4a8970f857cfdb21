-- YouNiverse's weekly history in the observation contract. Its rows are dated on Mondays and
-- give the value at the close of the Sunday before (value_on). A view over the typed scan of
-- raw: at full scale 75 M channel-weeks, never sorted or stored again.
{{ observations_unpivoted(ref('stg_youniverse__timeseries'), account_id='channel_id',
    value_on=youniverse_value_on('observed_on'),
    metrics={'subscribers': 'subscribers', 'views': 'views', 'videos': 'videos'}) }}
