"""`python -m bench.anomaly_eval`: run the evaluation on the real series and print its tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.anomaly_eval.evaluate import MIN_MULTIPLE, run, write
from urated.settings import DATA_DIR

RESULTS = Path(__file__).resolve().parent.parent / "anomaly_eval_results.json"


def markdown(result: dict) -> str:
    lines = [f"Headline: events of at least {MIN_MULTIPLE:.0f}x the usual weekly gain that the platform shows "
             f"(beyond two rounding steps). Recall {result['recall']}, precision {result['precision']}.", "",
             "| platform | kind | injected | of them ≥5x, visible | found | recall | flags | false flags | "
             "of them on untouched series |", "|---|---|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        recall = f"{r['found'] / r['headline']:.2f}" if r["headline"] else "–"
        lines.append(f"| {r['platform']} | {r['kind']} | {r['injected']} | {r['headline']} | {r['found']} | {recall} "
                     f"| {r['flags']} | {r['false_flags']} | {r['untouched_flags']} |")
    lines += ["", "| platform | kind | size | injected | visible | found | median multiple of the usual gain |",
              "|---|---|---|---|---|---|---|"]
    for s in result["sizes"]:
        size = f"{s['size']:.0%}" if s["kind"] in ("purge", "fake_streams", "platform_purge") else f"{s['size']:g}x"
        lines.append(f"| {s['platform']} | {s['kind']} | {size} | {s['injected']} | {s['observable']} | {s['found']} "
                     f"| {s['median_multiple']} |")
    lines += ["", f"Platform purges reported: {result['platform_events'] or 'none'}", "",
              f"Flags on the untouched real series: {len(result['untouched_flags'])} of {result['untouched_weeks']} "
              "weeks judged:"]
    lines += [f"- {f['artist_id']} {f['week_at']} {f['kind']}: {f['reason']}" for f in result["untouched_flags"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.anomaly_eval", description=__doc__)
    parser.add_argument("--workdir", default=str(DATA_DIR / "eval_anomalies"), help="where the warehouse goes")
    parser.add_argument("--results", default=str(RESULTS), help="where the results JSON goes")
    args = parser.parse_args(argv)
    result = run(Path(args.workdir).resolve())
    write(result, Path(args.results))
    print(markdown(result))
    print(f"\n{result['events']} events in {result['series']} series; pipeline {result['timings']}; "
          f"results: {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
