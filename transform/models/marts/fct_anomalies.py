"""Suspicious growth: bought-follower spikes, purges and impossible jumps.

Why Python: the pyod detectors (an isolation forest and ECOD) have no SQL equivalent.
Features come from int_anomalies__features (SQL, so every formula stays in one place);
this model only scores them. Three detectors vote:
- robust_mad: |robust_z| >= 6 and at least 15 points away from the artist's usual growth,
  or a subscriber/follower drop of more than 10 % in a week (the enrichment spec's rule).
  The robust scale is floored at two rounding steps (features), and the 15-point minimum keeps
  fast but healthy weeks of young channels (up to ~13 % a week) out;
- iforest and ecod: fitted per platform × metric on growth, robust_z, acceleration and
  disagreement with the companion metric (robust-scaled) of trusted weeks, flagging the top 1 %.
Trusted weeks are real observations that do not cross a failed junction: an interpolated week
is a straight line, and a junction_break week may be the hand-over between sources, not growth.
A week is an anomaly (is_anomaly) when it is trusted, the robust rule fires AND at least one
pyod detector agrees: the rule says the week is extreme for the artist itself, pyod that it is
also rare across every artist of the platform. pyod never decides alone: its contamination
always flags its top 1 %, even in a population of perfectly healthy series.
One row per detector that flagged it, so every score keeps its own scale.
pandas is not installed: data moves as numpy arrays in and a pyarrow table out.
"""

import numpy as np
import pyarrow as pa

FEATURES = ("growth_pct", "robust_z", "acceleration_pct", "disagreement_pct")
CONTAMINATION = 0.01
MIN_ROWS_FOR_PYOD = 30
MAX_FIT_ROWS = 50_000  # fit on a seeded sample beyond this; score every row
ROBUST_Z_LIMIT = 6.0
ROBUST_MIN_POINTS = 15.0
DROP_LIMIT_PCT = -10.0


def robust_scale(matrix):
    """Median/IQR scaling so one giant spike does not squash every other row to zero."""
    median = np.median(matrix, axis=0)
    iqr = np.subtract(*np.percentile(matrix, [75, 25], axis=0))
    return (matrix - median) / np.where(iqr > 0, iqr, 1.0)


def pyod_flags(matrix, trusted):
    """Scores and flags of both pyod detectors for one platform × metric group, learnt from trusted rows."""
    from pyod.models.ecod import ECOD
    from pyod.models.iforest import IForest

    sample = matrix if trusted.all() else matrix[trusted]
    if len(sample) > MAX_FIT_ROWS:
        # Millions of weeks at full scale: the norm is learnt from a sample, every week is scored.
        sample = sample[np.random.default_rng(42).choice(len(sample), MAX_FIT_ROWS, replace=False)]
    results = {}
    for name, detector in (
        ("iforest", IForest(n_estimators=100, contamination=CONTAMINATION, random_state=42)),
        ("ecod", ECOD(contamination=CONTAMINATION)),
    ):
        detector.fit(sample)
        if sample is matrix:
            scores = np.asarray(detector.decision_scores_, dtype=float)
        else:
            scores = np.asarray(detector.decision_function(matrix), dtype=float)
        results[name] = (scores, scores > detector.threshold_)
    return results


def describe(metric, growth, usual, companion_metric, companion_growth):
    """The sentence an analyst reads: what happened against what usually happens."""
    text = f"{metric} {growth:+.0f} % in 7 d against a usual {usual:+.1f} %"
    if companion_metric is not None and companion_growth is not None and not np.isnan(companion_growth):
        text += f"; {companion_metric} {companion_growth:+.1f} %"
    return text


def model(dbt, session):
    dbt.config(materialized="table")
    # A fixed row order: DuckDB scans in parallel, and the isolation forest's trees (seeded)
    # depend on the order of the rows they are fitted on; identical data must score identically.
    columns = dbt.ref("int_anomalies__features").order("artist_id, platform, metric, week_at").fetchnumpy()
    n = len(columns["artist_id"])

    def floats(name):
        values = columns[name]
        if np.ma.isMaskedArray(values):
            values = values.filled(np.nan)
        return np.asarray(values, dtype=float)

    features = {name: floats(name) for name in FEATURES}
    usual = floats("usual_growth_pct")
    companion_growth = floats("companion_growth_pct")
    growth = features["growth_pct"]
    metric = np.asarray(columns["metric"], dtype=object)
    platform = np.asarray(columns["platform"], dtype=object)
    week_at = np.asarray(columns["week_at"], dtype="datetime64[D]")
    trusted = ~(np.asarray(columns["is_interpolated"], dtype=bool) | np.asarray(columns["is_junction_break"], dtype=bool))

    flags = {
        "robust_mad": trusted & (
            ((np.abs(features["robust_z"]) >= ROBUST_Z_LIMIT) & (np.abs(growth - usual) >= ROBUST_MIN_POINTS))
            | (np.isin(metric, ["subscribers", "followers"]) & (growth < DROP_LIMIT_PCT))
        ),
        "iforest": np.zeros(n, dtype=bool),
        "ecod": np.zeros(n, dtype=bool),
    }
    scores = {
        "robust_mad": np.abs(features["robust_z"]),
        "iforest": np.full(n, np.nan),
        "ecod": np.full(n, np.nan),
    }
    matrix = np.nan_to_num(np.column_stack([features[name] for name in FEATURES]))
    for group in sorted(set(zip(platform, metric))):
        rows = np.flatnonzero((platform == group[0]) & (metric == group[1]))
        if trusted[rows].sum() < MIN_ROWS_FOR_PYOD:
            continue
        for name, (group_scores, group_flags) in pyod_flags(robust_scale(matrix[rows]), trusted[rows]).items():
            scores[name][rows] = group_scores
            flags[name][rows] = group_flags

    is_anomaly = flags["robust_mad"] & (flags["iforest"] | flags["ecod"])
    out = {key: [] for key in ("artist_id", "platform", "metric", "week_at", "score", "detector", "is_anomaly", "reason")}
    for name in ("robust_mad", "iforest", "ecod"):
        for i in np.flatnonzero(flags[name]):
            out["artist_id"].append(columns["artist_id"][i])
            out["platform"].append(platform[i])
            out["metric"].append(metric[i])
            out["week_at"].append(week_at[i])
            out["score"].append(round(float(scores[name][i]), 4))
            out["detector"].append(name)
            out["is_anomaly"].append(bool(is_anomaly[i]))
            out["reason"].append(describe(metric[i], growth[i], usual[i], columns["companion_metric"][i], companion_growth[i]))

    schema = pa.schema([
        ("artist_id", pa.string()), ("platform", pa.string()), ("metric", pa.string()),
        ("week_at", pa.date32()), ("score", pa.float64()), ("detector", pa.string()),
        ("is_anomaly", pa.bool_()), ("reason", pa.string()),
    ])
    out["week_at"] = np.asarray(out["week_at"], dtype="datetime64[D]")
    return pa.table(out, schema=schema)
