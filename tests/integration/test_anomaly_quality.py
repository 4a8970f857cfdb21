"""fct_anomalies meets its quality target against the sandbox's injected ground truth.

Scoring rules (what counts, and why):
- A detection is a distinct (artist, platform, metric, week) with is_anomaly in marts.fct_anomalies.
- It matches an injected anomaly of the same artist/platform/metric within ±1 week: an impossible
  jump shows as +900 % on its week and −90 % the week after, and a weekly grid may lag a day.
- Ground truth is restricted to what the pipeline can observe: only YouTube has weekly history
  (the Spotify and Instagram APIs give today's value only), and the week and the week before must
  be real (not interpolated) points of the artist's series in marts.fct_metrics.
- A detection within ±1 week of a hand-over between sources, for an artist with an injected
  `level_shift` junction break, is excused: the observed series really jumps there, so flagging it
  is legitimate, neither a true nor a false positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from .sandbox_world import sandbox_world

pytestmark = pytest.mark.integration

# Seed 3 with 50 artists: 16 YouTube anomalies of all three kinds, and the pipeline runs in about a minute.
WORLD_SEED = 3
WORLD_ARTISTS = 50
TARGET_RECALL = 0.9
TARGET_PRECISION = 0.8
MATCH_WEEKS = 1


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    excused: int
    observable: int
    missed: list


def observable_truth(world, con) -> set[tuple[str, str, str, date]]:
    """Injected anomalies whose week and the week before are real points of the observed series."""
    real = {
        (a, p, m, d)
        for a, p, m, d in con.execute(
            "select artist_id, platform, metric, observed_at from marts.fct_metrics where not is_interpolated"
        ).fetchall()
    }
    truth = set()
    for anomaly in world.anomalies:
        key = (anomaly.artist_id, anomaly.platform, anomaly.metric)
        if (*key, anomaly.week) in real and (*key, anomaly.week - timedelta(weeks=1)) in real:
            truth.add((*key, anomaly.week))
    return truth


def handover_weeks(world, con) -> set[tuple[str, str, str, date]]:
    """Weeks where a level-shifted artist's series passes from one source to the next."""
    shifted = sorted({b.artist_id for b in world.junction_breaks if b.kind == "level_shift"})
    if not shifted:
        return set()
    rows = con.execute(
        """
        select artist_id, platform, metric, observed_at from (
            select *, lag(source) over (partition by artist_id, platform, metric order by observed_at) as before
            from marts.fct_metrics where not is_interpolated and artist_id in (select unnest(?))
        ) where before is not null and before <> source
        """,
        [shifted],
    ).fetchall()
    return set(rows)


def near(week: date, weeks) -> bool:
    return any(abs((week - other).days) <= 7 * MATCH_WEEKS for other in weeks)


def measure(world, warehouse) -> Quality:
    """Precision and recall of fct_anomalies under the rules in this module's docstring (``warehouse``: its target)."""
    with warehouse.connect(read_only=True) as con:
        truth = observable_truth(world, con)
        handovers = handover_weeks(world, con)
        flagged = set(con.execute(
            "select distinct artist_id, platform, metric, week_at from marts.fct_anomalies where is_anomaly"
        ).fetchall())
    by_series: dict[tuple, list[date]] = {}
    for a, p, m, d in truth:
        by_series.setdefault((a, p, m), []).append(d)
    handover_by_series: dict[tuple, list[date]] = {}
    for a, p, m, d in handovers:
        handover_by_series.setdefault((a, p, m), []).append(d)
    tp = fp = excused = 0
    found = set()
    for a, p, m, d in flagged:
        hits = [w for w in by_series.get((a, p, m), []) if near(d, [w])]
        if hits:
            tp += 1
            found.update((a, p, m, w) for w in hits)
        elif near(d, handover_by_series.get((a, p, m), [])):
            excused += 1
        else:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = len(found) / len(truth) if truth else 0.0
    return Quality(precision, recall, tp, fp, excused, len(truth), sorted(truth - found))


@pytest.fixture(scope="module")
def quality_world(tmp_path_factory):
    """A world of its own: the shared end-to-end world has too few observable anomalies to score."""
    from orchestration.demo import materialize_everything

    with sandbox_world(tmp_path_factory.mktemp("anomaly_quality"), WORLD_SEED, WORLD_ARTISTS) as (world, warehouse):
        result = materialize_everything()
    assert result.success
    return world, warehouse


def test_the_world_puts_anomalies_where_the_pipeline_can_see_them():
    """Only YouTube has weekly history: an anomaly elsewhere would be ground truth no one can find."""
    from sandbox.world import build_world

    world = build_world(seed=WORLD_SEED, n_artists=WORLD_ARTISTS)
    with_channel = {a.artist_id for a in world.artists if a.youtube_channel_id}
    assert all(a.platform == "youtube" for a in world.anomalies if a.artist_id in with_channel)
    youtube = [a for a in world.anomalies if a.platform == "youtube"]
    assert {a.kind for a in youtube} == {"bought_spike", "purge", "impossible_jump"}
    assert len(youtube) >= 12


@pytest.mark.slow
def test_anomalies_reach_the_recall_and_precision_target(quality_world):
    """The issue's target: recall >= 0.9 at precision >= 0.8 on what the pipeline can observe."""
    world, warehouse = quality_world
    q = measure(world, warehouse)
    print(f"\nanomaly quality (seed {WORLD_SEED}, {WORLD_ARTISTS} artists): precision {q.precision:.3f} "
          f"recall {q.recall:.3f} (tp {q.true_positives}, fp {q.false_positives}, excused {q.excused}, "
          f"observable {q.observable}, missed {q.missed})")
    assert q.observable >= 8, "the world must inject enough observable anomalies to score"
    assert q.recall >= TARGET_RECALL
    assert q.precision >= TARGET_PRECISION
