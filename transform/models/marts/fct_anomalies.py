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
One row per detector that flagged it, so every score keeps its own scale. pyod scores only the
weeks the robust rule flags (its vote matters nowhere else), after learning each platform ×
metric's norm from a sample of its trusted weeks.
Why numbers first: at full scale the features are 24 M weeks. Only numeric columns (and a small
integer per platform × metric) come into Python; names and reasons are fetched for the flagged
weeks alone, by row number.
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


def robust_scale(matrix, fit_rows=None):
    """Median/IQR scaling so one giant spike does not squash every other row to zero.

    The median and IQR come from ``fit_rows`` (default: every row), the rows the detectors learn from.
    """
    reference = matrix if fit_rows is None else matrix[fit_rows]
    median = np.median(reference, axis=0)
    iqr = np.subtract(*np.percentile(reference, [75, 25], axis=0))
    return (matrix - median) / np.where(iqr > 0, iqr, 1.0)


def pyod_flags(sample, to_score):
    """Scores and flags of both pyod detectors for one platform × metric group.

    Fitted on ``sample`` (trusted weeks, at most MAX_FIT_ROWS of them, seeded), applied to
    ``to_score``; a flag is a score above the threshold the fit's contamination sets.
    """
    from pyod.models.ecod import ECOD
    from pyod.models.iforest import IForest

    if len(sample) > MAX_FIT_ROWS:
        # Millions of weeks at full scale: the norm is learnt from a sample.
        sample = sample[np.random.default_rng(42).choice(len(sample), MAX_FIT_ROWS, replace=False)]
    results = {}
    for name, detector in (
        ("iforest", IForest(n_estimators=100, contamination=CONTAMINATION, random_state=42)),
        ("ecod", ECOD(contamination=CONTAMINATION)),
    ):
        detector.fit(sample)
        scores = np.asarray(detector.decision_function(to_score), dtype=float)
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
    # Numbered once, in a fixed order: DuckDB scans in parallel, and the isolation forest's trees
    # (seeded) depend on the order of the rows they are fitted on; identical data must score
    # identically. The flagged rows' names are fetched back by that number.
    dbt.ref("int_anomalies__features").create_view("anomaly_features", replace=True)
    session.execute("""
        create or replace temp table anomaly_features_numbered as
        select *,
               row_number() over (order by platform, metric, artist_id, week_at) as row_id,
               dense_rank() over (order by platform, metric) as group_id
        from anomaly_features
    """)
    columns = session.sql("""
        select group_id, metric in ('subscribers', 'followers') as is_audience,
               growth_pct, robust_z, acceleration_pct, disagreement_pct, usual_growth_pct,
               is_interpolated or is_junction_break as is_untrusted
        from anomaly_features_numbered order by row_id
    """).fetchnumpy()

    def floats(name):
        values = columns[name]
        if np.ma.isMaskedArray(values):
            values = values.filled(np.nan)
        return np.asarray(values, dtype=float)

    features = {name: floats(name) for name in FEATURES}
    growth, usual = features["growth_pct"], floats("usual_growth_pct")
    group_id = np.asarray(columns["group_id"], dtype=np.int64)
    trusted = ~np.asarray(columns["is_untrusted"], dtype=bool)
    robust = trusted & (
        ((np.abs(features["robust_z"]) >= ROBUST_Z_LIMIT) & (np.abs(growth - usual) >= ROBUST_MIN_POINTS))
        | (np.asarray(columns["is_audience"], dtype=bool) & (growth < DROP_LIMIT_PCT))
    )
    flagged = {"robust_mad": (np.flatnonzero(robust), np.abs(features["robust_z"])[robust])}
    pyod_votes = {"iforest": np.zeros(len(growth), dtype=bool), "ecod": np.zeros(len(growth), dtype=bool)}
    pyod_rows = {"iforest": [], "ecod": []}
    matrix = np.nan_to_num(np.column_stack([features[name] for name in FEATURES]))
    # Rows are ordered by platform × metric, so each group is one contiguous slice.
    bounds = np.flatnonzero(np.diff(group_id)) + 1
    for rows in np.split(np.arange(len(group_id)), bounds):
        candidates = rows[robust[rows]]
        if not len(candidates) or trusted[rows].sum() < MIN_ROWS_FOR_PYOD:
            continue
        scaled = robust_scale(matrix[rows], fit_rows=trusted[rows])
        for name, (scores, votes) in pyod_flags(scaled[trusted[rows]], scaled[robust[rows]]).items():
            pyod_votes[name][candidates] = votes
            pyod_rows[name].append((candidates[votes], scores[votes]))
    for name, parts in pyod_rows.items():
        flagged[name] = (np.concatenate([p[0] for p in parts]) if parts else np.array([], dtype=np.int64),
                         np.concatenate([p[1] for p in parts]) if parts else np.array([], dtype=float))
    is_anomaly = robust & (pyod_votes["iforest"] | pyod_votes["ecod"])
    scored = _flagged_rows(session, flagged, is_anomaly, growth, usual)
    session.execute("drop table if exists anomaly_features_numbered")
    return scored


def _flagged_rows(session, flagged, is_anomaly, growth, usual):
    """Names, weeks and reasons for the flagged rows only, joined back by row number."""
    row_ids = np.concatenate([rows for rows, _ in flagged.values()]).astype(np.int64)
    detectors = np.concatenate([[name] * len(rows) for name, (rows, _) in flagged.items()]).astype(object)
    scores = np.concatenate([scores for _, scores in flagged.values()]).astype(float)
    hits = pa.table({"row_id": pa.array(row_ids + 1, pa.int64()), "detector": pa.array(detectors, pa.string()),
                     "score": pa.array(np.round(scores, 4), pa.float64()),
                     "is_anomaly": pa.array(is_anomaly[row_ids], pa.bool_())})
    session.register("anomaly_hits", hits)
    joined = session.sql("""
        select k.artist_id, k.platform, k.metric, k.week_at, h.score, h.detector, h.is_anomaly,
               k.companion_metric, k.companion_growth_pct, h.row_id
        from anomaly_hits h join anomaly_features_numbered k using (row_id)
        order by h.detector, h.row_id
    """).fetchnumpy()
    session.unregister("anomaly_hits")
    rows = np.asarray(joined["row_id"], dtype=np.int64) - 1
    companion_growth = joined["companion_growth_pct"]
    if np.ma.isMaskedArray(companion_growth):
        companion_growth = companion_growth.filled(np.nan)
    reasons = [describe(m, growth[r], usual[r], c, g) for m, r, c, g in
               zip(joined["metric"], rows, joined["companion_metric"], np.asarray(companion_growth, dtype=float))]
    schema = pa.schema([
        ("artist_id", pa.string()), ("platform", pa.string()), ("metric", pa.string()),
        ("week_at", pa.date32()), ("score", pa.float64()), ("detector", pa.string()),
        ("is_anomaly", pa.bool_()), ("reason", pa.string()),
    ])
    return pa.table({
        "artist_id": pa.array(joined["artist_id"], pa.string()), "platform": pa.array(joined["platform"], pa.string()),
        "metric": pa.array(joined["metric"], pa.string()),
        "week_at": pa.array(np.asarray(joined["week_at"], dtype="datetime64[D]"), pa.date32()),
        "score": pa.array(joined["score"], pa.float64()), "detector": pa.array(joined["detector"], pa.string()),
        "is_anomaly": pa.array(joined["is_anomaly"], pa.bool_()), "reason": pa.array(reasons, pa.string()),
    }, schema=schema)
