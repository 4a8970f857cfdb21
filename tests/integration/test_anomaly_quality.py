"""fct_anomalies meets its quality target against the sandbox's injected ground truth, on every platform.

The world's daily platforms (Spotify, Instagram) keep no history: like the demo, the fixture first
collects the daily sources for each of the past DAILY_DAYS days (orchestration.backfill), then
materializes everything, so Spotify and Instagram have weekly growth to judge.

Scoring rules (what counts, and why):
- A detection is a distinct (artist, platform, metric, week) with is_anomaly in marts.fct_anomalies.
- It matches an injected anomaly of the same artist/platform/metric and kind within ±1 week: a
  weekly grid may lag a day.
- Ground truth is restricted to what the detector can observe: the anomaly's week is a trusted week
  of int_anomalies__features (a real, non-interpolated observation that does not cross a failed
  junction, of an account large enough to be judged).
- A detection within ±1 week of a hand-over between sources, for an artist with an injected
  `level_shift` junction break, is excused: the observed series really jumps there, so flagging it
  is legitimate, neither a true nor a false positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from .sandbox_world import sandbox_world

pytestmark = pytest.mark.integration

# Seed 3 with 80 artists: 13 anomalies on all three platforms, of every kind.
WORLD_SEED = 3
WORLD_ARTISTS = 80
DAILY_DAYS = 42  # six Sundays: five weeks of growth on the daily platforms
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
    by_platform: dict


def observable_truth(world, con) -> set[tuple[str, str, str, date, str]]:
    """Injected anomalies on a week the detector judges (a trusted feature week)."""
    judged = set(con.execute(
        "select artist_id, platform, metric, week_at from intermediate.int_anomalies__features "
        "where not is_interpolated and not is_junction_break"
    ).fetchall())
    return {(a.artist_id, a.platform, a.metric, a.week, a.kind) for a in world.anomalies
            if (a.artist_id, a.platform, a.metric, a.week) in judged}


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
            "select distinct artist_id, platform, metric, week_at, kind from marts.fct_anomalies where is_anomaly"
        ).fetchall())
    by_series: dict[tuple, list[tuple[date, str]]] = {}
    for a, p, m, d, k in truth:
        by_series.setdefault((a, p, m), []).append((d, k))
    handover_by_series: dict[tuple, list[date]] = {}
    for a, p, m, d in handovers:
        handover_by_series.setdefault((a, p, m), []).append(d)
    tp = fp = excused = 0
    found = set()
    for a, p, m, d, k in flagged:
        hits = [(w, kind) for w, kind in by_series.get((a, p, m), []) if near(d, [w]) and kind == k]
        if hits:
            tp += 1
            found.update((a, p, m, w, kind) for w, kind in hits)
        elif near(d, handover_by_series.get((a, p, m), [])):
            excused += 1
        else:
            fp += 1
    by_platform = {p: (sum(t[1] == p for t in found), sum(t[1] == p for t in truth)) for p in ("youtube", "spotify", "instagram")}
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = len(found) / len(truth) if truth else 0.0
    return Quality(precision, recall, tp, fp, excused, len(truth), sorted(truth - found), by_platform)


@pytest.fixture(scope="module")
def quality_world(tmp_path_factory):
    """A world of its own, with its daily history: the shared end-to-end world has too few anomalies."""
    from orchestration.backfill import collect_past_days, past_days
    from orchestration.demo import materialize_everything

    with sandbox_world(tmp_path_factory.mktemp("anomaly_quality"), WORLD_SEED, WORLD_ARTISTS) as (world, warehouse):
        collect_past_days(past_days(DAILY_DAYS, world.today))
        result = materialize_everything()
    assert result.success
    return world, warehouse


def test_the_world_puts_anomalies_where_the_pipeline_can_see_them():
    """YouTube has ten years of history; Spotify and Instagram only the days collected, so theirs are recent."""
    from sandbox.events import daily_window
    from sandbox.world import build_world

    world = build_world(seed=WORLD_SEED, n_artists=WORLD_ARTISTS)
    assert {a.platform for a in world.anomalies} == {"youtube", "spotify", "instagram"}
    window = daily_window(world.weeks)
    assert all(a.week in window for a in world.anomalies if a.platform != "youtube")
    assert window[0] - timedelta(weeks=1) >= world.today - timedelta(days=DAILY_DAYS - 1)
    assert len(world.anomalies) >= 12 and len({a.kind for a in world.anomalies}) == 5


@pytest.mark.slow
def test_anomalies_reach_the_recall_and_precision_target(quality_world):
    """The issue's target: recall >= 0.9 at precision >= 0.8 on what the detector can observe, every platform."""
    world, warehouse = quality_world
    q = measure(world, warehouse)
    print(f"\nanomaly quality (seed {WORLD_SEED}, {WORLD_ARTISTS} artists, {DAILY_DAYS} days of daily history): "
          f"precision {q.precision:.3f} recall {q.recall:.3f} (tp {q.true_positives}, fp {q.false_positives}, "
          f"excused {q.excused}, observable {q.observable}, found/observable per platform {q.by_platform}, "
          f"missed {q.missed})")
    assert all(observable for _, observable in q.by_platform.values()), "every platform must have cases to score"
    assert q.recall >= TARGET_RECALL
    assert q.precision >= TARGET_PRECISION


@pytest.mark.slow
def test_the_instagram_purge_is_reported_as_a_platform_purge_not_as_frauds(quality_world):
    """Most accounts losing followers the same week is the platform's doing: one event, no fraud."""
    world, warehouse = quality_world
    purge = world.platform_purge
    with warehouse.connect(read_only=True) as con:
        rows = con.execute("select artist_id, kind, is_anomaly from marts.fct_anomalies "
                           "where platform = 'instagram' and week_at = ? and detector = 'robust_mad'",
                           [purge.week]).fetchall()
    caught = {a for a, kind, _ in rows if kind == "platform_purge"}
    affected = {a for a, _ in purge.losses}
    assert len(caught & affected) >= 0.5 * len(affected)
    assert caught <= affected
    assert not [a for a, kind, is_anomaly in rows if is_anomaly and a in affected]
