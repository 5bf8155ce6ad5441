# Huiqi — the two commands of the README are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export HUIQI_DATA_DIR ?= data

.PHONY: run test test-slow lint eval bench ingest serve clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(STAMP)

## make run: create the venv, install, index knowledge/ if the index is empty or made by another embedding model, serve the HTTP API
run: $(STAMP)
	$(BIN)/huiqi ingest --if-empty
	$(BIN)/huiqi serve

ingest: $(STAMP)
	$(BIN)/huiqi ingest

## make test: create the venv with the dev extras, install browser and fonts, run the tests
test: $(DEV_STAMP)
	bash scripts/install-browser.sh
	bash scripts/install-test-deps.sh
	$(BIN)/python -m pytest -m "not slow" -q

test-slow: $(DEV_STAMP)
	$(BIN)/python -m pytest -m slow -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check bot retrieval eval prompts || true
	$(BIN)/mypy

## make eval: retrieval and answer evaluation, eval/report.md with a chart
eval: $(DEV_STAMP)
	$(BIN)/huiqi ingest --if-empty
	$(BIN)/huiqi eval report

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/bench_retrieval.py
	$(BIN)/python benchmarks/bench_answers.py
	$(BIN)/python benchmarks/load_api.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
