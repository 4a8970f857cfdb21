"""The API's words are the marts' accepted values: one list cannot drift from the other."""

from __future__ import annotations

import pytest
import yaml

from api.vocabulary import Metric, Period, Platform, Status
from urated import settings

pytestmark = pytest.mark.slow  # every test reads the session's published world: a dbt build


def accepted_values(model: str, column: str) -> list[str]:
    document = yaml.safe_load((settings.TRANSFORM_DIR / "models" / "marts" / "_marts__models.yml").read_text())
    (found,) = [m for m in document["models"] if m["name"] == model]
    (col,) = [c for c in found["columns"] if c["name"] == column]
    (test,) = [t["accepted_values"] for t in col["data_tests"] if isinstance(t, dict) and "accepted_values" in t]
    return test["arguments"]["values"]


def test_platforms_metrics_periods_and_statuses_are_the_marts_accepted_values():
    assert [p.value for p in Platform] == accepted_values("fct_metrics", "platform")
    assert [m.value for m in Metric] == accepted_values("fct_metrics", "metric")
    assert [p.value for p in Period] == accepted_values("fct_growth", "period")
    assert [s.value for s in Status] == accepted_values("dim_artists", "status")
