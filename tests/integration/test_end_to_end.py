"""The whole pipeline against the sandbox gives what the world's ground truth says."""

from __future__ import annotations

import statistics

import pytest

from sandbox.eras import round_3sf

pytestmark = pytest.mark.integration


def query(e2e, sql: str, *params):
    con = e2e.target.connect(read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def biggest_visible_channel(world):
    channels = [c for c in world.channels
                if c.artist_id and c.status == "active" and not c.hidden_subscriber_count]
    return max(channels, key=lambda c: world.youtube_current(c.channel_id)["subscribers"])


def test_every_asset_materializes_and_every_blocking_check_passes(end_to_end):
    failures = [e.step_key for e in end_to_end.result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failures == []
    assert end_to_end.result.success


def test_dim_artists_holds_the_watchlist_and_the_youniverse_only_channels(end_to_end):
    world = end_to_end.world
    watchlisted = {a.artist_id for a in world.artists}
    rows = dict(query(end_to_end, "select artist_id, artist_name from marts.dim_artists"))
    assert watchlisted <= set(rows)
    assert all(rows[a.artist_id] == a.artist_name for a in world.artists)
    in_history = {c.channel_id for c in world.extra_channels}
    outside = [aid for aid in rows if aid not in watchlisted]
    assert 0 < len(outside) <= len(in_history)


def test_a_known_channel_has_todays_counts_from_the_youtube_api(end_to_end):
    world = end_to_end.world
    channel = biggest_visible_channel(world)
    truth = world.youtube_current(channel.channel_id)
    rows = dict(query(end_to_end, """
        select metric, value from marts.fct_metrics
        where artist_id = ? and platform = 'youtube' and source = 'youtube_api'
          and observed_at = (select max(observed_at) from marts.fct_metrics
                             where artist_id = ? and source = 'youtube_api')
    """, channel.artist_id, channel.artist_id))
    assert rows["subscribers"] == int(round_3sf(truth["subscribers"]))
    assert rows["views"] == truth["views"]
    assert rows["videos"] == truth["videos"]


def test_channels_absent_from_the_api_are_not_active_on_youtube(end_to_end):
    world = end_to_end.world
    terminated = [a.artist_id for a in world.artists if a.youtube_channel_id and a.status == "terminated"]
    assert terminated, "seed chosen to have some"
    statuses = dict(query(end_to_end, "select artist_id, youtube_status from marts.dim_artists"))
    # One run sees them absent for the first time: inactive (terminated once absent > 28 days).
    assert {statuses[a] for a in terminated} == {"inactive"}
    active = [a.artist_id for a in world.artists if a.youtube_channel_id and a.status == "active"]
    assert {statuses[a] for a in active} == {"active"}


def test_weekly_history_spans_ten_years_for_an_old_channel(end_to_end):
    world = end_to_end.world
    channel = biggest_visible_channel(world)
    first, last, sources = query(end_to_end, """
        select min(observed_at), max(observed_at), list(distinct source order by source)
        from marts.fct_metrics where artist_id = ? and metric = 'views'
    """, channel.artist_id)[0]
    assert set(sources) >= {"socialblade", "viewstats", "youtube_api"}
    assert (last - first).days > 3 * 365


def test_growth_has_every_period_for_youtube_subscribers(end_to_end):
    periods = {p for (p,) in query(end_to_end, """
        select distinct period from marts.fct_growth where platform = 'youtube' and metric = 'subscribers'
    """)}
    assert {"7d", "30d", "90d", "365d"} <= periods


def test_injected_junction_breaks_fail_their_junction_and_only_those(end_to_end):
    world = end_to_end.world
    broken = {(b.junction, b.artist_id) for b in world.junction_breaks}
    failed = set(query(end_to_end, "select junction, artist_id from marts.junction_report where not passed"))
    watchlisted = {a.artist_id for a in world.artists}
    failed_watchlisted = {(j, a) for j, a in failed if a in watchlisted}
    assert broken <= failed_watchlisted
    assert failed_watchlisted - broken == set()


def test_running_everything_again_the_same_day_adds_no_row(end_to_end):
    assert end_to_end.rerun.success
    assert end_to_end.counts_after_rerun == end_to_end.counts_after_first


def test_a_hidden_subscriber_count_stays_unknown_not_zero(end_to_end):
    world = end_to_end.world
    hidden = [c for c in world.channels if c.hidden_subscriber_count and c.artist_id and c.status == "active"]
    assert hidden, "seed chosen to have one"
    channel = hidden[0]
    raw = query(end_to_end, "select subscriber_count, hidden_subscriber_count from raw_youtube.channels "
                            "where channel_id = ?", channel.channel_id)
    assert raw and all(subs is None and flag for subs, flag in raw)
    api_subscribers = query(end_to_end, "select count(*) from marts.fct_metrics where artist_id = ? "
                                        "and source = 'youtube_api' and metric = 'subscribers'", channel.artist_id)
    assert api_subscribers == [(0,)]


def materialization(end_to_end, key: str):
    events = [e for e in end_to_end.result.get_asset_materialization_events()
              if e.asset_key.to_user_string() == key]
    assert events, f"{key} was not materialized"
    return events[-1].materialization


def test_marts_show_a_preview_and_the_figures_the_ui_plots(end_to_end):
    growth = materialization(end_to_end, "marts/fct_growth")
    assert "| artist_id |" in growth.metadata["preview"].value
    # The plotted figures are the marts' own numbers, recomputed here from their rows.
    latest_7d = [pct for (pct,) in query(end_to_end, """
        select growth_pct from marts.fct_growth
        where platform = 'youtube' and metric = 'subscribers' and period = '7d' and growth_pct is not null
          and as_of = (select max(as_of) from marts.fct_growth where platform = 'youtube' and period = '7d')""")]
    # The UI shows the figure rounded to 4 decimals (urated/mart_metadata.py); the mart keeps it exact.
    assert growth.metadata["median_7d_subscriber_growth_pct"].value == pytest.approx(
        round(statistics.median(latest_7d), 4))
    assert growth.metadata["dagster/row_count"].value == query(end_to_end, "select count(*) from marts.fct_growth")[0][0]
    anomalies = materialization(end_to_end, "marts/fct_anomalies")
    flagged = query(end_to_end, "select distinct artist_id, platform, metric, week_at from marts.fct_anomalies "
                                "where is_anomaly")
    assert flagged, "seed chosen to have anomalies"
    assert anomalies.metadata["flagged_artist_weeks"].value == len(flagged)


def test_raw_tables_report_their_row_counts(end_to_end):
    channels = materialization(end_to_end, "raw/youtube/channels")
    assert channels.metadata["dagster/row_count"].value == sum(1 for a in end_to_end.world.artists if a.youtube_channel_id)
