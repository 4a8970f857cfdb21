# Every target creates .venv on first use, so a fresh clone needs only Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export DAGSTER_HOME ?= $(abspath data/dagster_home)

.PHONY: venv demo test test-fast ui docs sandbox bench bench-quick eval-anomalies api bench-api clean sql dbt

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing uRated and its dependencies into $(VENV) (about a minute the first time)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . 2> >(grep -v "is ignored: it is neither" >&2)
	@touch $(STAMP)

demo: venv
	$(BIN)/python -m orchestration.demo

test: venv
	$(BIN)/python -m pytest

# The inner loop: everything but the dbt builds, the full pipeline runs and the benchmarks.
test-fast: venv
	$(BIN)/python -m pytest -m "not slow and not integration"

ui: venv
	$(BIN)/python -m orchestration.instance
	$(BIN)/dagster dev -w workspace.yaml

docs: venv
	$(BIN)/python -m orchestration.docs

# A DuckDB shell on the snapshot analysts read (the published copy, or the lake's published snapshot).
sql: venv
	$(BIN)/python -m urated.storage --sql

# dbt by hand on the configured warehouse, e.g. make dbt ARGS="build --full-refresh -s fct_growth"
dbt: venv
	$(BIN)/python -m orchestration.dbt_project $(ARGS)

sandbox: venv
	$(BIN)/python -m sandbox

bench: venv
	$(BIN)/python -m bench

bench-quick: venv
	$(BIN)/python -m bench --quick

# The HTTP API over the published marts, on $URATED_API_HOST:$URATED_API_PORT (default 127.0.0.1:8000).
api: venv
	$(BIN)/python -m api serve

# Load-test the API on loopback (BENCH_API_ARGS, e.g. --warehouse data/bench/file/warehouse.duckdb --seconds 20).
bench-api: venv
	$(BIN)/python -m bench.api_load $(BENCH_API_ARGS)

# fct_anomalies on real series with injected fraud: precision, recall and flags on untouched weeks
eval-anomalies: venv
	$(BIN)/python -m bench.anomaly_eval

clean:
	rm -rf data transform/target transform/logs
