"""The settings module: one place decides where the warehouse is and how services are reached."""

from __future__ import annotations

import pytest

from urated import settings


def test_service_urls_default_to_the_real_hosts(monkeypatch):
    monkeypatch.delenv("URATED_YOUTUBE_API_URL", raising=False)
    assert settings.service_url("youtube") == "https://www.googleapis.com/youtube/v3"


def test_missing_credential_for_a_real_host_names_the_variable(monkeypatch):
    monkeypatch.delenv("URATED_YOUTUBE_API_URL", raising=False)
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    with pytest.raises(settings.MissingCredentialError, match="YOUTUBE_API_KEY"):
        settings.credential("youtube", "YOUTUBE_API_KEY")


def test_a_loopback_url_does_not_invent_a_credential(monkeypatch):
    monkeypatch.setenv("URATED_YOUTUBE_API_URL", "http://127.0.0.1:8765/youtube/v3")
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    with pytest.raises(settings.MissingCredentialError, match="YOUTUBE_API_KEY is not set"):
        settings.credential("youtube", "YOUTUBE_API_KEY")


def test_a_loopback_url_does_not_invent_an_instagram_account(monkeypatch):
    monkeypatch.setenv("URATED_INSTAGRAM_API_URL", "http://127.0.0.1:8765/instagram/v21.0")
    monkeypatch.delenv("INSTAGRAM_USER_ID", raising=False)
    with pytest.raises(settings.MissingCredentialError, match="INSTAGRAM_USER_ID is not set"):
        settings.instagram_user_id()


def test_there_is_no_default_watchlist(monkeypatch):
    monkeypatch.delenv("URATED_ARTISTS", raising=False)
    with pytest.raises(settings.MissingSettingError, match="URATED_ARTISTS is not set"):
        settings.watchlist_path()


@pytest.mark.parametrize(("pacing", "url", "off"), [
    ("", "http://127.0.0.1:8765/wayback", False),  # loopback alone keeps pacing on
    ("off", "http://127.0.0.1:8765/wayback", True),
    ("off", "http://localhost:8765/wayback", True),
    ("off", "https://web.archive.org", False),  # a real host is always paced
    ("polite", "http://127.0.0.1:8765/wayback", False),
])
def test_pacing_is_off_only_when_asked_and_only_on_loopback(monkeypatch, pacing, url, off):
    monkeypatch.setenv("URATED_PACING", pacing)
    assert settings.pacing_off(url) is off


def test_an_unknown_pacing_value_is_an_error_naming_the_choices(monkeypatch):
    monkeypatch.setenv("URATED_PACING", "fast")
    with pytest.raises(ValueError, match="URATED_PACING must be 'polite'"):
        settings.pacing_off("http://127.0.0.1:1")


def test_exported_credential_is_used_and_listed_as_secret(monkeypatch):
    monkeypatch.setenv("SPOTIFY_CLIENT_SECRET", "s3cr3t-value")
    assert settings.credential("spotify", "SPOTIFY_CLIENT_SECRET") == "s3cr3t-value"
    assert "s3cr3t-value" in settings.secret_values()
