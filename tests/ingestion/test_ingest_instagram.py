"""Instagram business discovery against the sandbox: counts, unknown users, faults, leaks."""

from __future__ import annotations

import logging

from ingestion.http import FakeClock, ServiceClient
from ingestion.instagram import instagram_source
from ingestion.instagram.client import InstagramClient
from ingestion.instagram.parsers import account_row, is_unknown_user_error
from ingestion.watchlist import watchlist_values

from .ingest_support import FAKE_SECRETS, assert_no_secret_anywhere, query, set_faults


def ig_client(clock: FakeClock) -> InstagramClient:
    return InstagramClient(ServiceClient("instagram", clock=clock))


def test_business_discovery_answer_becomes_a_row(clock):
    payload = {"business_discovery": {"followers_count": 1200, "media_count": 33, "username": "x",
                                      "id": "17841400000000123"}, "id": "17841400000000001"}
    row = account_row(payload, "x", clock.now().date(), clock.now())
    assert (row["followers_count"], row["media_count"], row["ig_id"], row["is_active"]) == (1200, 33, "17841400000000123", True)


def test_oauth_exception_110_2207013_means_unknown_user():
    body = '{"error": {"message": "Invalid user id", "type": "OAuthException", "code": 110, "error_subcode": 2207013}}'
    assert is_unknown_user_error(body)
    assert not is_unknown_user_error('{"error": {"code": 190}}')


def test_every_account_is_loaded_once_with_the_services_counts(sb, run, clock):
    names = watchlist_values("instagram_username")[:40]
    run("instagram", instagram_source(usernames=names, client=ig_client(clock)))
    assert query("SELECT count(*), count(DISTINCT username) FROM raw_instagram.accounts WHERE is_active") == \
        [(len(names), len(names))]
    sample = names[0]
    expected = sb.world.instagram_current(sample)
    assert query(f"SELECT followers_count, media_count FROM raw_instagram.accounts WHERE username = '{sample}'") == \
        [(expected["followers"], expected["media"])]


def test_unknown_username_is_stored_inactive(sb, run, clock):
    run("instagram", instagram_source(usernames=["no_such_account_xyz"], client=ig_client(clock)))
    assert query("SELECT username, is_active, followers_count FROM raw_instagram.accounts") == \
        [("no_such_account_xyz", False, None)]


def test_429_5xx_and_malformed_bodies_lose_nothing(sb, run, clock):
    names = watchlist_values("instagram_username")[:20]
    set_faults(sb, "instagram", status_429=2, status_5xx=2, malformed=1)
    run("instagram", instagram_source(usernames=names, client=ig_client(clock)))
    assert query("SELECT count(*), count(DISTINCT username) FROM raw_instagram.accounts") == [(20, 20)]
    assert query("SELECT count(*) FROM raw_instagram.rejects") == [(1,)]


def test_access_token_never_reaches_logs_tables_or_state(sb, run, clock, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    set_faults(sb, "instagram", status_5xx=1, malformed=1)
    run("instagram", instagram_source(usernames=watchlist_values("instagram_username")[:5] + ["nobody_xyz"],
                                      client=ig_client(clock)))
    assert "access_token=" in caplog.text, "httpx logged request URLs, so redaction was exercised"
    assert_no_secret_anywhere(FAKE_SECRETS["INSTAGRAM_ACCESS_TOKEN"], caplog.text, "raw_instagram", tmp_path / "dlt")


def test_an_invalid_token_fails_the_run_instead_of_marking_accounts(sb, run, clock, monkeypatch):
    import pytest
    from dlt.pipeline.exceptions import PipelineStepFailed

    monkeypatch.setenv("INSTAGRAM_ACCESS_TOKEN", "short")  # Graph answers OAuthException code 190
    with pytest.raises(PipelineStepFailed, match="Invalid OAuth access token"):
        run("instagram", instagram_source(usernames=watchlist_values("instagram_username")[:3],
                                          client=ig_client(clock)))
