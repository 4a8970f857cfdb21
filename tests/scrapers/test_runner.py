"""run_spider_subprocess: a failed spider process raises with its stderr, never returns half a result."""

from __future__ import annotations

import pytest

from scrapers.run import summary
from scrapers.runner import SpiderRunError, run_spider_subprocess


def test_an_unknown_spider_raises_with_the_processes_own_error_message():
    """Dagster must see why a crawl failed, not a missing stats line."""
    with pytest.raises(SpiderRunError, match="invalid choice"):
        run_spider_subprocess("no_such_spider")


def test_summary_counts_status_and_block_retries_together_and_divides_pages_per_channel():
    """These figures become asset metadata users compare run to run."""
    stats = {"urated/pages_fetched": 30, "urated/naive_pages": 300, "urated/items": 900, "retry/count": 4,
             "urated/block_retries": 2, "urated/blocked_pages": 3, "urated/rows_loaded": 880,
             "finish_reason": "finished"}
    result = summary(stats, units=5, elapsed=2.0)
    assert result["pages_per_channel"] == 6.0
    assert result["retries"] == 6
    assert result["items_per_s"] == 450.0
    assert (result["naive_pages"], result["rows_loaded"], result["blocked_pages"]) == (300, 880, 3)


def _settings():
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    return settings


def test_a_real_wayback_host_never_gets_more_than_one_request_a_second(monkeypatch):
    """Politeness towards the real archive cannot be switched off by a flag."""
    from scrapers.run import polite_delays

    monkeypatch.delenv("URATED_WAYBACK_URL", raising=False)  # the real web.archive.org
    assert polite_delays(_settings(), "wayback", None, None) == (1.0, 30.0)
    assert polite_delays(_settings(), "wayback", 0.0, 0.0) == (1.0, 30.0)
    assert polite_delays(_settings(), "wayback", 2.5, None)[0] == 2.5


def test_the_sandbox_is_crawled_without_delay_when_its_environment_switches_pacing_off(monkeypatch):
    """The demo and tests would otherwise wait a second per page."""
    from scrapers.run import polite_delays

    monkeypatch.setenv("URATED_WAYBACK_URL", "http://127.0.0.1:8123/wayback")
    monkeypatch.setenv("URATED_PACING", "off")
    assert polite_delays(_settings(), "wayback", None, None) == (0.0, 0.05)
    assert polite_delays(_settings(), "wayback", 0.3, 0.1) == (0.3, 0.1)


def test_a_loopback_url_alone_keeps_the_production_delay(monkeypatch):
    """Pacing is switched off by a named setting, never by where a URL points."""
    from scrapers.run import polite_delays

    monkeypatch.setenv("URATED_WAYBACK_URL", "http://127.0.0.1:8123/wayback")
    monkeypatch.delenv("URATED_PACING", raising=False)
    assert polite_delays(_settings(), "wayback", None, None) == (1.0, 30.0)


def test_production_settings_allow_one_request_at_a_time_per_host():
    """One request in flight per host is what makes the delay a rate."""
    settings = _settings()
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert 429 in settings.getlist("RETRY_HTTP_CODES")
