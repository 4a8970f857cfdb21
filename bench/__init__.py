"""The scale benchmark: a synthetic world at full size, loaded and built the way users run it.

`python -m bench` (or `make bench`) generates the world, then measures each phase
(history load, full mart build, weekly incremental refresh, anomaly scoring,
pandas baseline) in its own subprocess, so every phase's peak memory is its own
and DuckDB's memory is handed back between phases. Nothing is hard-coded: every
figure in `bench/results.json` was measured in that run.
"""
