"""The API's words are the warehouse's: platforms and metrics those the published registry holds,
periods and statuses the marts' accepted values, so one list cannot drift from the other."""

from __future__ import annotations

import pytest
import yaml

from api.vocabulary import Metric, Period, Platform, Status
from urated import settings

pytestmark = pytest.mark.slow  # reads the session's published world: a dbt build


def accepted_values(model: str, column: str) -> list[str]:
    document = yaml.safe_load((settings.TRANSFORM_DIR / "models" / "marts" / "_marts__models.yml").read_text())
    (found,) = [m for m in document["models"] if m["name"] == model]
    (col,) = [c for c in found["columns"] if c["name"] == column]
    (test,) = [t["accepted_values"] for t in col["data_tests"] if isinstance(t, dict) and "accepted_values" in t]
    return test["arguments"]["values"]


def test_platforms_and_metrics_are_those_of_the_published_registry(api_world):
    registered = api_world.sql("select platform, unnest(metrics) from marts.dim_sources")
    assert {p.value for p in Platform} == {platform for platform, _ in registered} | {"youtube", "spotify", "instagram"}
    assert {m.value for m in Metric} == {metric for _, metric in registered}


def test_periods_and_statuses_are_the_marts_accepted_values():
    assert [p.value for p in Period] == accepted_values("fct_growth", "period")
    assert [s.value for s in Status] == accepted_values("dim_artists", "status")
