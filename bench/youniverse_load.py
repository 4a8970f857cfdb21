"""Measure the YouNiverse load speed on generated files: ``python -m bench.youniverse_load``.

Writes a synthetic world in YouNiverse's format (``sandbox.youniverse_files``),
loads it through dlt into a throwaway warehouse twice (fresh, then reload) and
prints rows/s as JSON. Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from urated.settings import WAREHOUSE_VAR


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--artists", type=int, default=28_000, help="world size (28,000 gives ~5.4 M rows)")
    parser.add_argument("--folder", type=Path, help="existing folder with the two files (skips generation)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="youniverse_bench_") as tmp:
        folder = args.folder
        if folder is None:
            from sandbox.world import build_world
            from sandbox.youniverse_files import write_youniverse_files

            folder = Path(tmp) / "files"
            write_youniverse_files(build_world(n_artists=args.artists), folder)
        os.environ[WAREHOUSE_VAR] = str(Path(tmp) / "bench.duckdb")  # a throwaway warehouse, this process only
        from ingestion.youniverse import load_youniverse

        results = []
        for attempt in ("fresh", "reload"):
            summary = load_youniverse(folder, pipelines_dir=Path(tmp) / "dlt")
            results.append({"run": attempt, "rows": summary["row_counts"],
                            "seconds": summary["seconds"], "step_seconds": summary["step_seconds"],
                            "rows_per_second": summary["rows_per_second"]})
        print(json.dumps({"cpus": os.cpu_count(), "load_average": os.getloadavg(), "results": results}, indent=1))


if __name__ == "__main__":
    main()
