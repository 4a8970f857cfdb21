"""Write the world's 2015-2019 history as the YouNiverse dataset files.

With ``full_history=True`` the same format carries any span of the world's ten
years (the scale benchmark loads 520 weeks of every channel through the
YouNiverse loader, and a held-back latest week as its weekly refresh).

Same names, header and layout as the real `df_channels_en.tsv` and
`df_timeseries_en.tsv` (tab-separated, timeseries dated on the Monday after
each week). The real timeseries carries exact duplicate rows and a few rows
whose columns shifted left because the category is missing; a handful of each
is reproduced and returned as ground truth. Rows are written a block of
channels at a time through Arrow, so the full-scale world streams to disk.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from sandbox import eras
from sandbox.world import World

CHANNELS_COLUMNS = ("category_cc", "join_date", "channel", "name_cc", "subscribers_cc", "videos_cc",
                    "subscriber_rank_sb", "weights")
TIMESERIES_COLUMNS = ("channel", "category", "datetime", "views", "delta_views", "subs", "delta_subs",
                      "videos", "delta_videos", "activity")
N_DUPLICATES = 6
N_SHIFTED = 4
_WRITE = pacsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")


def _open(folder: Path, name: str, gz: bool) -> tuple[Path, pa.NativeFile]:
    path = folder / (name + (".gz" if gz else ""))
    return path, pa.output_stream(str(path), compression="gzip" if gz else None)


def _deltas(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Week-on-week change, zero on each channel's first row (as the real file)."""
    delta = np.diff(values, axis=1, prepend=values[:, :1])
    delta[np.arange(len(values)), starts] = 0
    return delta


def _dictionary(indices: np.ndarray, values: np.ndarray) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(values.tolist()))


def _week_span(world: World, full_history: bool, n_weeks: int | None, until: date | None) -> tuple[int, int]:
    """Indexes on ``history_weeks`` of the first and one-past-last week to write."""
    if not full_history:
        if n_weeks is not None or until is not None:
            raise ValueError("n_weeks and until apply only with full_history=True")
        start_day, end_day = eras.YOUNIVERSE_FIRST, eras.YOUNIVERSE_LAST
        return ((start_day - world.history_weeks[0]).days // 7, (end_day - world.history_weeks[0]).days // 7 + 1)
    last = (eras.last_sunday(until or world.weeks[-1]) - world.history_weeks[0]).days // 7 + 1
    if last < 1 or last > len(world.history_weeks):
        raise ValueError(f"until={until} is outside the world's history")
    # Up to the world's ten years; more only if the history grid reaches further back.
    first = max(last - (n_weeks or len(world.weeks)), 0)
    return first, last


def write_youniverse_files(world: World, folder: str | Path, gz: bool = False, *, full_history: bool = False,
                           n_weeks: int | None = None, until: date | None = None) -> dict:
    """Write both files into ``folder``; return paths, row counts and the injected quirks.

    By default the YouNiverse era (2015 - Sep 2019). ``full_history=True`` writes
    the ``n_weeks`` Sundays ending at ``until`` instead (defaults: the world's 520
    weeks ending at its last Sunday), for every channel that joined by then.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    first, last = _week_span(world, full_history, n_weeks, until)
    last_day = world.history_weeks[last - 1]
    mondays = np.array([(d + timedelta(days=1)).isoformat() for d in world.history_weeks[first:last]], dtype=object)
    rng = np.random.default_rng([world.seed, 8])
    quirks: dict[str, list[dict[str, str]]] = {"duplicates": [], "shifted": []}
    summaries: list[dict[str, np.ndarray]] = []
    n_rows = 0

    ts_path, ts_out = _open(folder, "df_timeseries_en.tsv", gz)
    with ts_out:
        ts_out.write(("\t".join(TIMESERIES_COLUMNS) + "\n").encode())
        for channels, truth in world.youtube_blocks(full_history=True):
            keep = [i for i, c in enumerate(channels) if c.joined_on <= last_day]
            if not keep:
                continue
            chans = [channels[i] for i in keep]
            rows = np.array([c.row for c in chans])
            starts = np.clip(world.join_index(rows) - first, 0, None)
            scale = np.array([world.subscriber_scale(c.row, "youniverse") for c in chans])
            subs = np.rint(truth["subscribers"][keep, first:last] * scale[:, None]).astype(np.int64)
            views = truth["views"][keep, first:last]
            videos = truth["videos"][keep, first:last]
            d_views, d_subs, d_videos = (_deltas(v, starts) for v in (views, subs, videos))
            activity = np.maximum(d_videos + np.concatenate([np.zeros((len(chans), 1), np.int64), d_videos[:, :-1]], 1), 0)
            mask = np.arange(last - first)[None, :] >= starts[:, None]
            r, w = np.nonzero(mask)
            ids = np.array([c.channel_id for c in chans], dtype=object)
            cats = np.array([c.category for c in chans], dtype=object)
            numbers = [views[r, w], d_views[r, w], subs[r, w], d_subs[r, w], videos[r, w], d_videos[r, w],
                       activity[r, w]]
            order = np.arange(len(r))
            shifted_at = np.array([], dtype=np.int64)
            if not quirks["duplicates"]:
                # The first block carries the quirks; deterministic for the seed.
                picks = rng.choice(len(r), size=min(N_DUPLICATES + N_SHIFTED, len(r)), replace=False)
                dup_at, shifted_at = np.sort(picks[:N_DUPLICATES]), np.sort(picks[N_DUPLICATES:])
                order = np.sort(np.concatenate([np.setdiff1d(order, shifted_at), dup_at]))
                quirks["duplicates"] = [{"channel": ids[r[i]], "datetime": mondays[w[i]]} for i in dup_at]
                quirks["shifted"] = [{"channel": ids[r[i]], "datetime": mondays[w[i]]} for i in shifted_at]
            # Strings as dictionaries (index arrays): no Python string per row, even at full scale.
            texts = [_dictionary(r[order], ids), _dictionary(r[order], cats), _dictionary(w[order], mondays)]
            table = pa.table(dict(zip(TIMESERIES_COLUMNS, texts + [pa.array(col[order]) for col in numbers])))
            pacsv.write_csv(table, ts_out, _WRITE)
            for i in shifted_at:
                # Category missing: every later value slides one column left.
                values = [ids[r[i]], mondays[w[i]]] + [str(col[i]) for col in numbers]
                ts_out.write(("\t".join(values) + "\n").encode())
            n_rows += len(order) + len(shifted_at)
            at_end = last - first - 1
            summaries.append({
                "category": cats, "channel": ids, "name": np.array([c.title for c in chans], dtype=object),
                "join_date": np.array([c.joined_on.isoformat() for c in chans], dtype=object),
                "subs": eras.round_3sf(subs[:, at_end]), "videos": videos[:, at_end],
            })

    channels_path, n_channels = _write_channels(folder, gz, summaries)
    return {
        "channels_path": channels_path, "timeseries_path": ts_path,
        "channels_rows": n_channels, "timeseries_rows": n_rows, **quirks,
    }


def _write_channels(folder: Path, gz: bool, summaries: list[dict[str, np.ndarray]]) -> tuple[Path, int]:
    merged = {k: np.concatenate([s[k] for s in summaries]) for k in summaries[0]}
    n = len(merged["channel"])
    # Social Blade rank by subscribers (1 = biggest); weights grow with rank as
    # YouNiverse's sampling weights do.
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(-merged["subs"], kind="stable")] = np.arange(1, n + 1)
    weights = np.round(2.0 + 10.0 * rank / n, 4)
    table = pa.table({
        "category_cc": merged["category"], "join_date": merged["join_date"], "channel": merged["channel"],
        "name_cc": merged["name"], "subscribers_cc": merged["subs"], "videos_cc": merged["videos"],
        "subscriber_rank_sb": rank, "weights": weights,
    })
    path, out = _open(folder, "df_channels_en.tsv", gz)
    with out:
        out.write(("\t".join(CHANNELS_COLUMNS) + "\n").encode())
        pacsv.write_csv(table, out, _WRITE)
    return path, n


def ensure_youniverse_files(world, folder: Path) -> Path:
    """The world's YouNiverse files in `folder`, rewritten only when the world changed (seed, size, day)."""
    stamp = folder / ".world"
    identity = f"seed={world.seed} artists={len(world.artists)} today={world.today.isoformat()}"
    if not (stamp.exists() and stamp.read_text() == identity):
        folder.mkdir(parents=True, exist_ok=True)
        write_youniverse_files(world, folder)
        stamp.write_text(identity)
    return folder
