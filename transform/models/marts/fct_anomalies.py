"""Suspicious growth, each flagged week with its kind and the reason it was flagged.

Why Python: pyod's detectors (an isolation forest and ECOD) have no SQL equivalent. Features come
from int_anomalies__features (SQL, so every formula stays in one place); this model judges them.

A trusted week (a real observation, not across a failed junction) is judged against the artist's
own usual weekly gain around it (excess_ratio: the gain beyond the usual, in units of the usual
gain or of its spread, whichever is larger), in absolute terms and in percent, and against the
companion metric the same week:
- bought_followers / botted_views / fake_streams: subscribers or followers, views, or monthly
  listeners gain at least 1 + JUMP_RATIO times the usual (excess_ratio >= JUMP_RATIO; the
  features count no excess within two 3-significant-figure steps, which may be nothing at all)
  and at least MIN_EXCESS_PCT points above the usual growth (MIN_LEVEL_EXCESS_PCT for monthly
  listeners, a level that wobbles by nature), while the companion metric stays at its usual pace.
  When the companion jumps too (its own excess_ratio >= COMPANION_RATIO, or at least COMPANION_SHARE
  of the week's excess growth in percent points) the week is viral, not fraud, and is not flagged; nor is it when the companion is not measured or too small to judge
  (a 10-subscriber channel's views say nothing either way). Instagram's companion (media) cannot
  tell a viral week from a purchase: its followers are judged alone;
- purge: subscribers, followers or views lose at least DROP_RATIO times the usual gain beyond it
  (beyond two rounding steps) and at least MIN_DROP_PCT % of the audience; or an audience loses
  more than 10 % in a week (SHARP_DROP_PCT, the enrichment spec's rule), whatever its history;
- platform_purge: a purge week shared by at least PLATFORM_SHARE of a platform's accounts (and
  PLATFORM_MIN_ACCOUNTS of them): the platform removed accounts, the artists did nothing. Those
  rows keep the kind platform_purge and is_anomaly false: one platform event, not hundreds of frauds;
- impossible_value: a week that grows SPIKE_PCT % and falls back the week after, or grows
  BIG_SPIKE_PCT % from BIG_SPIKE_BASE or more: a value no counter can take.
One event, one row: a week that continues the previous week's event on the same series (a
six-week decline, the fall back after an impossible spike) is not reported again.
Each flagged week has a robust_mad row (score |excess_ratio|); iforest and ecod, fitted per
platform × metric on a seeded sample of trusted weeks, score the flagged weeks too and add a row
where they find the week rare across the platform (their top CONTAMINATION): a second opinion,
never the verdict, because pyod always flags its top 1 %, even among healthy series.
Why candidates first: at full scale the features are 24 M weeks. DuckDB selects the few weeks any
rule could flag, and only those come into Python.
"""

import numpy as np
import pyarrow as pa

JUMP_RATIO = 4.0
DROP_RATIO = 3.0
MIN_EXCESS_PCT = 0.1
MIN_LEVEL_EXCESS_PCT = 15.0  # monthly listeners wobble a few percent a week by nature
LEVEL_METRICS = ("monthly_listeners",)
MIN_DROP_PCT = 1.0
SHARP_DROP_PCT = -10.0
COMPANION_RATIO = 2.0
COMPANION_SHARE = 0.5  # of the week's own excess growth, in points
MIN_NORM_WEEKS = 3
SPIKE_PCT, FALL_BACK_PCT = 300.0, -50.0
BIG_SPIKE_PCT, BIG_SPIKE_BASE = 400.0, 10_000
PLATFORM_SHARE, PLATFORM_MIN_ACCOUNTS = 0.2, 10
CONTAMINATION = 0.01
MIN_ROWS_FOR_PYOD = 30
MAX_FIT_ROWS = 50_000  # fit on a seeded sample beyond this
PYOD_FEATURES = ("growth_pct", "excess_ratio", "acceleration_pct", "companion_excess_ratio")
JUMP_KINDS = {"subscribers": "bought_followers", "followers": "bought_followers", "views": "botted_views",
              "monthly_listeners": "fake_streams"}
DROP_KINDS = ("subscribers", "followers", "views")
AUDIENCE = ("subscribers", "followers")
CANDIDATE_COLUMNS = ("artist_id", "platform", "metric", "week_at", "value_start", "gain", "growth_pct", "usual_gain",
                     "excess_ratio", "usual_growth_pct", "norm_weeks", "rounding_step", "next_growth_pct",
                     "acceleration_pct", "companion_metric", "companion_tells_viral", "companion_growth_pct",
                     "companion_usual_growth_pct", "companion_excess_ratio")
WEEK = np.timedelta64(7, "D")


def _floats(values):
    if np.ma.isMaskedArray(values):
        values = values.filled(np.nan)
    return np.asarray(values, dtype=float)


def candidates(session):
    """The trusted weeks any rule could flag, ordered by series and week, as numpy columns."""
    rows = session.execute(f"""
        select {', '.join(CANDIDATE_COLUMNS)}
        from anomaly_features
        where not is_interpolated and not is_junction_break
            and ((norm_weeks >= {MIN_NORM_WEEKS} and (excess_ratio >= {JUMP_RATIO} or excess_ratio <= -{DROP_RATIO}))
                 or growth_pct >= {SPIKE_PCT} or growth_pct <= {SHARP_DROP_PCT})
        order by platform, metric, artist_id, week_at
    """).fetchnumpy()
    numeric = {name: _floats(rows[name]) for name in CANDIDATE_COLUMNS
               if name not in ("artist_id", "platform", "metric", "week_at", "companion_metric", "companion_tells_viral")}
    text = {name: np.asarray(rows[name], dtype=object) for name in ("artist_id", "platform", "metric", "companion_metric")}
    tells = rows["companion_tells_viral"]
    tells = tells.filled(False) if np.ma.isMaskedArray(tells) else tells
    return {**numeric, **text, "week_at": np.asarray(rows["week_at"], dtype="datetime64[D]"),
            "companion_tells_viral": np.asarray(tells, dtype=bool)}


def classify(c):
    """Each candidate's kind ('' when no rule holds), by the rules in the module docstring."""
    metric, growth, excess = c["metric"], c["growth_pct"], c["excess_ratio"]
    with np.errstate(invalid="ignore"):
        judged = c["norm_weeks"] >= MIN_NORM_WEEKS
        min_excess = np.where(np.isin(metric, LEVEL_METRICS), MIN_LEVEL_EXCESS_PCT, MIN_EXCESS_PCT)
        jump = judged & (excess >= JUMP_RATIO) & (growth - c["usual_growth_pct"] >= min_excess)
        # The companion jumped too, in its own terms or point for point in percent (a fast-growing
        # audience's viral week is few times its usual gain but as many points as its views').
        # A companion that tells viral weeks from fraud must be measured to vouch for either.
        companion = c["companion_excess_ratio"]
        points = c["companion_growth_pct"] - c["companion_usual_growth_pct"]
        along = points >= np.maximum(COMPANION_SHARE * (growth - c["usual_growth_pct"]), MIN_EXCESS_PCT)
        viral = c["companion_tells_viral"] & ((companion >= COMPANION_RATIO) | along | np.isnan(companion))
        drop = (judged & (excess <= -DROP_RATIO) & (growth <= -MIN_DROP_PCT)) \
            | ((growth <= SHARP_DROP_PCT) & (excess < 0) & np.isin(metric, AUDIENCE))
        impossible = ((growth >= SPIKE_PCT) & (c["next_growth_pct"] <= FALL_BACK_PCT)) \
            | ((growth >= BIG_SPIKE_PCT) & (c["value_start"] >= BIG_SPIKE_BASE))
    kind = np.full(len(growth), "", dtype=object)
    kind[drop & np.isin(metric, DROP_KINDS)] = "purge"
    for name, jump_kind in JUMP_KINDS.items():
        kind[jump & ~viral & (metric == name)] = jump_kind
    kind[impossible] = "impossible_value"
    return kind


def platform_events(session, c, kind):
    """Purges shared by a large share of a platform's accounts become platform_purge.

    Returns the share of accounts dropping and the accounts counted, per candidate (nan elsewhere).
    """
    share, accounts = np.full(len(kind), np.nan), np.full(len(kind), np.nan)
    purged = (kind == "purge") & np.isin(c["metric"], AUDIENCE)
    if not purged.any():
        return share, accounts
    weeks = session.execute("""
        select platform, metric, week_at, count(*) as accounts
        from anomaly_features
        where not is_interpolated and not is_junction_break and metric in ('subscribers', 'followers')
        group by all
    """).fetchall()
    totals = {(p, m, np.datetime64(w, "D")): n for p, m, w, n in weeks}
    keys = list(zip(c["platform"][purged], c["metric"][purged], c["week_at"][purged]))
    dropping: dict = {}
    for key in keys:
        dropping[key] = dropping.get(key, 0) + 1
    for i, key in zip(np.flatnonzero(purged), keys):
        share[i], accounts[i] = dropping[key] / totals[key], totals[key]
        if dropping[key] >= PLATFORM_MIN_ACCOUNTS and share[i] >= PLATFORM_SHARE:
            kind[i] = "platform_purge"
    return share, accounts


def continues_an_event(c, kind):
    """A flagged week whose series was flagged the week before with the same event."""
    flagged = np.flatnonzero(kind != "")
    follows = np.zeros(len(kind), dtype=bool)
    if len(flagged) < 2:
        return follows
    now, before = flagged[1:], flagged[:-1]
    same_series = (c["artist_id"][now] == c["artist_id"][before]) & (c["platform"][now] == c["platform"][before]) \
        & (c["metric"][now] == c["metric"][before]) & (c["week_at"][now] - c["week_at"][before] == WEEK)
    same_event = (kind[now] == kind[before]) | ((kind[before] == "impossible_value") & (kind[now] == "purge"))
    follows[now[same_series & same_event]] = True
    return follows


def pyod_scores(session, c, rows):
    """{detector: (rows it flags, their scores)} for the flagged ``rows``, per platform × metric."""
    from pyod.models.ecod import ECOD
    from pyod.models.iforest import IForest

    out = {"iforest": ([], []), "ecod": ([], [])}
    groups = sorted({(c["platform"][i], c["metric"][i]) for i in rows})
    for platform, metric in groups:
        mine = rows[(c["platform"][rows] == platform) & (c["metric"][rows] == metric)]
        sample = fit_sample(session, platform, metric)
        if len(sample) < MIN_ROWS_FOR_PYOD:
            continue
        to_score = np.nan_to_num(np.column_stack([c[name][mine] for name in PYOD_FEATURES]))
        median = np.median(sample, axis=0)
        iqr = np.subtract(*np.percentile(sample, [75, 25], axis=0))
        iqr = np.where(iqr > 0, iqr, 1.0)  # median/IQR: one giant spike must not squash every other row
        fit, scored = (sample - median) / iqr, (to_score - median) / iqr
        for name, detector in (("iforest", IForest(n_estimators=100, contamination=CONTAMINATION, random_state=42)),
                               ("ecod", ECOD(contamination=CONTAMINATION))):
            detector.fit(fit)
            scores = np.asarray(detector.decision_function(scored), dtype=float)
            votes = scores > detector.threshold_
            out[name][0].append(mine[votes])
            out[name][1].append(scores[votes])
    return {name: (np.concatenate(r).astype(np.int64) if r else np.array([], dtype=np.int64),
                   np.concatenate(s) if s else np.array([])) for name, (r, s) in out.items()}


def fit_sample(session, platform, metric):
    """At most ~MAX_FIT_ROWS trusted weeks of one platform × metric, the same ones on every run.

    Chosen by a hash of (artist, week) and read in a fixed order: the isolation forest's seeded
    trees depend on the rows and their order, and identical data must score identically.
    """
    where = (f"platform = '{platform}' and metric = '{metric}' and not is_interpolated "
             f"and not is_junction_break and norm_weeks >= {MIN_NORM_WEEKS}")
    total = session.execute(f"select count(*) from anomaly_features where {where}").fetchone()[0]
    keep = min(1.0, MAX_FIT_ROWS / max(total, 1))
    rows = session.execute(f"""
        select {', '.join(f'coalesce({name}, 0)' for name in PYOD_FEATURES)}
        from anomaly_features
        where {where} and hash(artist_id, week_at) % 1000000 < {int(keep * 1_000_000)}
        order by artist_id, week_at
    """).fetchnumpy()
    return np.nan_to_num(np.column_stack([_floats(rows[k]) for k in rows])) if total else np.zeros((0, 4))


def _count(value: float) -> str:
    """1,234 / 12.3 K / 4.56 M: counts as an analyst reads them."""
    size = abs(value)
    if size >= 1e9:
        return f"{value / 1e9:+.2f} B"
    if size >= 1e6:
        return f"{value / 1e6:+.2f} M"
    return f"{value:+,.0f}"


def describe(c, i, kind, share, accounts):
    """The sentence an analyst reads: what happened, against the usual, and the companion metric."""
    metric = c["metric"][i].replace("_", " ")
    growth, gain, usual = c["growth_pct"][i], c["gain"][i], c["usual_gain"][i]
    head = f"{metric} {_count(gain)} in 7 d ({growth:+.1f} %)"
    if kind == "impossible_value":
        return (f"{head}, then {c['next_growth_pct'][i]:+.0f} % the week after: an impossible value"
                if not np.isnan(c["next_growth_pct"][i]) else f"{head}: an impossible value")
    if kind == "platform_purge":
        return (f"{head}, with {share * 100:.0f} % of the platform's {accounts:.0f} accounts losing {metric} "
                f"the same week: a platform purge, not the artist's doing")
    ratio = gain / usual if usual > 0 else np.nan
    against = (f"{ratio:.0f}× the usual {_count(usual)} a week" if kind != "purge" and ratio >= 2
               else f"against a usual {_count(usual)} a week")
    text = f"{head}, {against}"
    if c["rounding_step"][i] > 0:
        text += f" (counts rounded to steps of {c['rounding_step'][i]:,.0f})"
    companion, companion_growth = c["companion_metric"][i], c["companion_growth_pct"][i]
    if companion is not None and not np.isnan(companion_growth):
        pace = "within its usual range" if kind != "purge" else "the same week"
        text += f"; {companion.replace('_', ' ')} {companion_growth:+.1f} % {pace}"
    verdict = {"bought_followers": "followers bought", "botted_views": "views botted",
               "fake_streams": "streams faked", "purge": "a purge"}[kind]
    return f"{text}: {verdict}"


def model(dbt, session):
    dbt.config(materialized="table")
    dbt.ref("int_anomalies__features").create_view("anomaly_features", replace=True)
    c = candidates(session)
    kind = classify(c)
    share, accounts = platform_events(session, c, kind)
    kind[continues_an_event(c, kind)] = ""
    rows = np.flatnonzero(kind != "")
    score = np.where(np.isnan(c["excess_ratio"]), c["growth_pct"] / 100, np.abs(c["excess_ratio"]))
    detections = {"robust_mad": (rows, score[rows]), **pyod_scores(session, c, rows)}
    reasons = {i: describe(c, i, kind[i], share[i], accounts[i]) for i in rows}
    hit = np.concatenate([r for r, _ in detections.values()]).astype(np.int64)
    detector = np.concatenate([[name] * len(r) for name, (r, _) in detections.items()]).astype(object)
    scores = np.concatenate([s for _, s in detections.values()]).astype(float)
    order = np.lexsort((detector.astype(str), hit))
    hit, detector, scores = hit[order], detector[order], scores[order]

    def col(name, kind_=pa.float64()):
        values = c[name][hit]
        if kind_ == pa.float64():
            return pa.array(values, kind_, mask=np.isnan(values))
        return pa.array(values.tolist(), kind_)

    return pa.table({
        "artist_id": col("artist_id", pa.string()), "platform": col("platform", pa.string()),
        "metric": col("metric", pa.string()), "week_at": pa.array(c["week_at"][hit], pa.date32()),
        "score": pa.array(np.round(scores, 4), pa.float64()), "detector": pa.array(detector.tolist(), pa.string()),
        "is_anomaly": pa.array(kind[hit] != "platform_purge", pa.bool_()),
        "reason": pa.array([reasons[i] for i in hit], pa.string()), "kind": pa.array(kind[hit].tolist(), pa.string()),
        "gain": col("gain"), "usual_gain": col("usual_gain"), "growth_pct": col("growth_pct"),
        "companion_metric": col("companion_metric", pa.string()), "companion_growth_pct": col("companion_growth_pct"),
    })
