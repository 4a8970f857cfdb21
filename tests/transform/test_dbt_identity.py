"""Identity resolution: one artist across platforms, and a stable id for unlisted channels."""

from __future__ import annotations

import pytest

from . import raw_fixture

pytestmark = pytest.mark.slow  # each builds a dbt warehouse: minutes, not seconds


def test_watchlisted_accounts_resolve_to_the_watchlist_artist(built):
    # One artist across platforms is the point of identity resolution.
    rows = built.query("select artist_id, youtube_channel_id, spotify_artist_id, instagram_username "
                       "from marts.dim_artists where artist_id = 'art_alpha'")
    assert rows == [("art_alpha", raw_fixture.UC_ALPHA, raw_fixture.SP_ALPHA, "alpha.music")]


def test_a_channel_only_in_youniverse_is_its_own_artist_with_a_stable_id(built):
    # History-only channels are analysed too, under an id that survives rebuilds.
    rows = built.query("select artist_id, artist_name, category, status, is_watchlisted "
                       "from marts.dim_artists where youtube_channel_id = 'UCdelta'")
    assert rows == [("yt_UCdelta", "delta channel", "Gaming", "inactive", False)]


def test_status_follows_the_latest_api_answer(built):
    # Inactive means absent from the latest answer; terminated means gone for weeks.
    statuses = dict(built.query("select artist_id, status from marts.dim_artists"))
    assert statuses["art_alpha"] == "active"
    assert statuses["art_gamma"] == "inactive"  # absent from TODAY's answer only
    assert statuses["sp_sp_gone"] == "terminated"  # absent for 40 days after being seen


def test_country_comes_from_youtube_and_is_upper_case(built):
    # Country filters compare ISO codes; the API sometimes sends lower case.
    assert built.query("select country from marts.dim_artists where artist_id = 'art_alpha'") == [("GB",)]
