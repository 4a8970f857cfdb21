"""The evaluation on real series (`make eval-anomalies`) meets the issue's target and explains its flags."""

from __future__ import annotations

import numpy as np
import pytest

from bench.anomaly_eval.evaluate import MIN_MULTIPLE, run, score
from bench.anomaly_eval.inject import Injection

TARGET = 0.9
MAX_UNTOUCHED_SHARE = 0.01  # flags on untouched real weeks, of the weeks judged there


def _event(key: str, week: str, kind: str = "bought_followers") -> Injection:
    return Injection(key, "youtube", "subscribers", np.datetime64(week), kind, 8.0, 800.0, 8.0, True)


def _flag(artist: str, week: str, kind: str = "bought_followers") -> dict:
    return {"artist_id": artist, "platform": "youtube", "metric": "subscribers", "week_at": np.datetime64(week, "D"),
            "kind": kind, "is_anomaly": True, "reason": "", "score": 9.0}


def test_a_copy_flagged_on_a_real_week_its_original_is_flagged_on_counts_once():
    # The real week is a real week's flag, seen on the original; the copy repeats it, no more.
    result = score([_event("copy", "2020-03-01")],
                   [_flag("yt_copy", "2020-03-01"), _flag("yt_copy", "2020-06-07"), _flag("yt_real", "2020-06-07")],
                   {"yt_copy": "yt_real"})
    row = result["rows"][0]
    assert (row["found"], row["true_flags"], row["false_flags"], row["untouched_flags"]) == (1, 1, 1, 1)


def test_a_flag_of_another_kind_does_not_find_the_event():
    # Calling bought followers a purge is not finding them.
    result = score([_event("copy", "2020-03-01")], [_flag("yt_copy", "2020-03-01", "purge")], {"yt_copy": "yt_real"})
    assert result["recall"] == 0.0 and result["precision"] == 0.0


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    return run(tmp_path_factory.mktemp("anomaly_eval"))


@pytest.mark.slow
def test_recall_and_precision_reach_the_target_on_events_of_five_times_the_usual_gain(evaluation):
    assert MIN_MULTIPLE == 5.0
    assert evaluation["recall"] >= TARGET and evaluation["precision"] >= TARGET


@pytest.mark.slow
def test_both_platforms_with_real_series_are_scored_per_kind(evaluation):
    scored = {(r["platform"], r["kind"]) for r in evaluation["rows"] if r["headline"]}
    assert {("youtube", "bought_followers"), ("youtube", "botted_views"), ("youtube", "purge"),
            ("youtube", "platform_purge"), ("spotify", "bought_followers"), ("spotify", "fake_streams")} <= scored


@pytest.mark.slow
def test_the_platform_purge_is_reported_as_one_event_on_its_week(evaluation):
    assert evaluation["platform_events"] == [("youtube", "2026-02-01")]


@pytest.mark.slow
def test_untouched_real_weeks_are_rarely_flagged_and_every_flag_explains_itself(evaluation):
    flags = evaluation["untouched_flags"]
    assert len(flags) <= MAX_UNTOUCHED_SHARE * evaluation["untouched_weeks"]
    assert all(" in 7 d (" in f["reason"] and ("usual" in f["reason"] or "impossible" in f["reason"]) for f in flags)
