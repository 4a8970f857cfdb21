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


def test_sandbox_needs_no_credential(monkeypatch):
    monkeypatch.setenv("URATED_YOUTUBE_API_URL", "http://127.0.0.1:8765/youtube/v3")
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    assert settings.credential("youtube", "YOUTUBE_API_KEY") == settings.SANDBOX_CREDENTIAL


def test_exported_credential_is_used_and_listed_as_secret(monkeypatch):
    monkeypatch.setenv("SPOTIFY_CLIENT_SECRET", "s3cr3t-value")
    assert settings.credential("spotify", "SPOTIFY_CLIENT_SECRET") == "s3cr3t-value"
    assert "s3cr3t-value" in settings.secret_values()
